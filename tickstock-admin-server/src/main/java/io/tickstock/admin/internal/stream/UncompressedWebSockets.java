package io.tickstock.admin.internal.stream;

import io.javalin.config.JettyConfig;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

/**
 * Turns off the permessage-deflate WebSocket extension, so a browser that offers it gets an
 * uncompressed session. Tick frames are large and identical for every browser: deflating them
 * once per session on the single stream thread cost ingest a fifth per open dashboard, while the
 * admin server is normally reached over a LAN or loopback where the bytes are cheap.
 */
public final class UncompressedWebSockets {
    /** The extension's registered name (RFC 7692). */
    public static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    private UncompressedWebSockets() {
    }

    /** Removes permessage-deflate from the extensions the server negotiates, before it starts. */
    public static void apply(JettyConfig jetty) {
        // Jetty negotiates every extension in the context's registry; removing it there is the hook
        // Jetty documents for this (Javalin owns the upgrade creator, so the response cannot be edited)
        jetty.modifyServletContextHandler(context -> JettyWebSocketServletContainerInitializer.configure(context,
                (servletContext, container) -> WebSocketServerComponents.getWebSocketComponents(context)
                        .getExtensionRegistry().unregister(PERMESSAGE_DEFLATE)));
    }
}
