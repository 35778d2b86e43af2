package vap.core.service;

import vap.core.config.Settings;
import vap.core.observe.ServiceEndpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A process for ServiceRunnerTest to stop with SIGTERM, as Ctrl-C or {@code kubectl delete pod} would: runs a
 * service whose close takes a second and then writes which thread closed it to the file in {@code args[0]}.
 */
public final class RunnerProbe {
    private RunnerProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path marker = Path.of(args[0]);
        int code = ServiceRunner.of("probe").run(Settings.of(Map.of("probe.http.bind", "127.0.0.1")),
                (settings, metrics) -> new SlowClose(marker));
        System.exit(code);
    }

    /** Closes slowly, as a consumer leaving its group or a large watchlist snapshot does. */
    private record SlowClose(Path marker) implements Service {
        @Override
        public ServiceEndpoint.Health health() {
            return ServiceEndpoint.Health.up("probing");
        }

        @Override
        public void close() {
            try {
                Thread.sleep(1000);
                Files.writeString(marker, "closed by " + Thread.currentThread().getName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
