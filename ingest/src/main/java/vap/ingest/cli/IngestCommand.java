package vap.ingest.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.observe.ServiceEndpoint;
import vap.ingest.IngestConfig;
import vap.ingest.IngestService;
import vap.ingest.IngestStatus;
import vap.ingest.health.CameraState;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code vap ingest}: cameras to the frames topic, alone. Against a running cluster:
 * <pre>
 * vap ingest --cameras cameras.properties --bootstrap-servers kafka:9092 --registry-url http://registry:8081
 * </pre>
 * or alone on this machine against {@code vap stack} (the embedded broker and registry, see the README).
 * Prints the status table every {@code --status-every} and on exit; metrics and health on
 * {@code ingest.http.port}. {@code vap ingest bench} (the bench module) is the benchmark.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Run ingest alone: cameras (RTSP, HTTP, files, v4l2) to the frames topic as JPEG.")
public final class IngestCommand implements VapCommand {
    @Mixin
    ServiceOptions options = new ServiceOptions();
    @Option(names = "--cameras", description = "Camera file (ingest.cameras.file); re-read when it changes.")
    Path camerasFile;
    @Option(names = "--camera", description = "id=url: a camera without a file (repeatable); other keys with "
            + "-D ingest.camera.<id>.<key>=<value>.")
    Map<String, String> cameras = new LinkedHashMap<>();
    @Option(names = "--status-every", defaultValue = "30s", description = "Print the status table this often (default ${DEFAULT-VALUE}).")
    String statusEvery;
    @Option(names = "--run-for", description = "Stop after this long (e.g. 60s); default: until Ctrl-C.")
    String runFor;

    @Override
    public Integer call() throws Exception {
        Map<String, String> extra = new LinkedHashMap<>();
        if (camerasFile != null) {
            extra.put("ingest.cameras.file", camerasFile.toString());
        }
        cameras.forEach((id, url) -> extra.put("ingest.camera." + id + ".url", url));
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Settings s = options.settings().with(extra);
            IngestConfig config = IngestConfig.from(s);
            if (config.camerasFile() == null && config.inlineCameras().isEmpty()) {
                throw new IllegalArgumentException("no cameras: give --cameras <file> or --camera id=url");
            }
            PrometheusMeterRegistry metrics = ServiceEndpoint.newRegistry("vap-ingest");
            ServiceEndpoint endpoint = ServiceEndpoint.start(s.string("ingest.http.bind", "0.0.0.0"),
                    s.integer("ingest.http.port", 0), metrics);
            open.add(0, endpoint);
            IngestService ingest = new IngestService(config, KafkaSettings.from(s), metrics).start();
            open.add(0, ingest);
            // Up while it runs: a camera that is down is a camera problem (see status), not a reason to restart ingest.
            endpoint.addCheck("ingest", () -> ServiceEndpoint.Health.up(ingest.status().summary()));
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(stop::countDown, "ingest-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            System.err.println("ingest running (metrics on http://localhost:" + endpoint.port() + "/metrics); "
                    + (runFor == null ? "Ctrl-C to stop" : "stopping after " + runFor));
            long every = Settings.of(Map.of("x", statusEvery)).duration("x", Duration.ofSeconds(30)).toMillis();
            long deadline = runFor == null ? Long.MAX_VALUE
                    : System.currentTimeMillis() + Settings.of(Map.of("x", runFor)).duration("x", Duration.ZERO).toMillis();
            while (!stop.await(Math.max(1, Math.min(every, deadline - System.currentTimeMillis())), TimeUnit.MILLISECONDS)
                    && System.currentTimeMillis() < deadline) {
                System.out.print(ingest.status().render());
            }
            IngestStatus last = ingest.status();
            System.out.print(last.render());
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down (Ctrl-C): fine.
            }
            boolean anyUsable = last.cameras().stream().anyMatch(c -> c.state() != CameraState.FAILED_CONFIGURATION);
            return anyUsable ? 0 : 1;
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }
}
