package io.tickstock.admin;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickstock.core.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures that are not bad values still name the key to change. */
class StartupErrorsIT {
    @TempDir
    Path dir;

    @Test
    void aPortInUseNamesAdminPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> GatewayApp.start(Settings.of(Map.of("ADMIN_PORT", Integer.toString(port),
                    "ADMIN_AUDIT_LOG", dir.resolve("audit.log").toString())), new PrintStream(new ByteArrayOutputStream())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("ADMIN_PORT=" + port + " (ADMIN_BIND=127.0.0.1): the port is already in use; stop what "
                            + "listens there or choose another port");
        }
    }
}
