package io.tickstock.admin.internal.stream;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** The sending side of one browser's WebSocket, asynchronous. Adapts Jetty's session; tests fake it. */
public interface Outbound {
    /** Queues {@code text}; {@code done} is called once with null on success or the failure. Never blocks. */
    void send(String text, Consumer<Throwable> done);

    /**
     * Queues a text frame whose UTF-8 bytes were built once and are shared by every browser: read
     * them through a view of your own ({@link ByteBuffer#slice()}), never modify, copy or re-encode
     * them. {@code done} is called once with null on success or the failure. Never blocks.
     */
    void sendUtf8(ByteBuffer utf8, Consumer<Throwable> done);

    boolean isOpen();

    void close(int code, String reason);
}
