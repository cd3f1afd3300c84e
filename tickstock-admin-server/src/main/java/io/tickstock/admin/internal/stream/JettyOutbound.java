package io.tickstock.admin.internal.stream;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.util.function.Consumer;

/** {@link Outbound} over a Jetty WebSocket session (asynchronous sends with a callback). */
public final class JettyOutbound implements Outbound {
    private final Session session;

    public JettyOutbound(Session session) {
        this.session = session;
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
