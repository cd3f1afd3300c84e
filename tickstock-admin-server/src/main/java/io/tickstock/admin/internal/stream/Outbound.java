package io.tickstock.admin.internal.stream;

import java.util.function.Consumer;

/** The sending side of one browser's WebSocket, asynchronous. Adapts Jetty's session; tests fake it. */
public interface Outbound {
    /** Queues {@code text}; {@code done} is called once with null on success or the failure. Never blocks. */
    void send(String text, Consumer<Throwable> done);

    boolean isOpen();

    void close(int code, String reason);
}
