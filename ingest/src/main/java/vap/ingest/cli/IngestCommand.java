package vap.ingest.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.DurationConverter;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.service.ServiceRunner;
import vap.ingest.IngestConfig;
import vap.ingest.IngestService;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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
    @Option(names = "--status-every", defaultValue = "30s", converter = DurationConverter.class,
            description = "Print the status table this often (default ${DEFAULT-VALUE}).")
    Duration statusEvery;
    @Option(names = "--run-for", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 60s); default: until Ctrl-C.")
    Duration runFor;

    @Override
    public Integer call() throws Exception {
        Map<String, String> extra = new LinkedHashMap<>();
        if (camerasFile != null) {
            extra.put("ingest.cameras.file", camerasFile.toString());
        }
        cameras.forEach((id, url) -> extra.put("ingest.camera." + id + ".url", url));
        Settings s = options.settings().with(extra);
        IngestConfig config = IngestConfig.from(s);
        if (config.camerasFile() == null && config.inlineCameras().isEmpty()) {
            throw new IllegalArgumentException("no cameras: give --cameras <file> or --camera id=url");
        }
        return ServiceRunner.of("ingest").runFor(runFor).statusEvery(statusEvery).run(s, IngestService::start);
    }
}
