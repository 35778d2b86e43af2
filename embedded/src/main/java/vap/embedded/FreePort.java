package vap.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** A port nobody listens on right now (0 in configuration means "pick one"). */
final class FreePort {
    private FreePort() {
    }

    static int pick(int configured) {
        if (configured > 0) {
            return configured;
        }
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port", e);
        }
    }
}
