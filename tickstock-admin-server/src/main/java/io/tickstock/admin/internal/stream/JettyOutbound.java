package io.tickstock.admin.internal.stream;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** {@link Outbound} over a Jetty WebSocket session (asynchronous sends with a callback). */
public final class JettyOutbound implements Outbound {
    private final Session session;
    /** Jetty's frame layer, which sends a text frame from bytes; null for a session that is not Jetty's own. */
    private final CoreSession core;

    public JettyOutbound(Session session) {
        this.session = session;
        this.core = session instanceof WebSocketSession ws ? ws.getCoreSession() : null;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        try {
            session.sendText(text, Callback.from(() -> done.accept(null), done));
        } catch (RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void sendUtf8(ByteBuffer utf8, Consumer<Throwable> done) {
        if (core == null) {
            // not reached with Javalin's sessions; kept so a different session type still works
            send(StandardCharsets.UTF_8.decode(utf8.slice()).toString(), done);
            return;
        }
        try {
            // Session.sendText would encode the String again for every browser; the frame layer
            // takes the shared bytes through a view of this session's own (the writer moves its position)
            core.sendFrame(new Frame(OpCode.TEXT, true, utf8.slice()),
                    org.eclipse.jetty.util.Callback.from(() -> done.accept(null), done), false);
        } catch (RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close(int code, String reason) {
        try {
            session.close(code, reason, Callback.NOOP);
        } catch (RuntimeException ignored) {
            // already closing
        }
    }
}
