package vap.ingest.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.DurationConverter;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.service.ServiceRunner;
import vap.ingest.IngestConfig;
import vap.ingest.IngestService;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vap ingest}: cameras to the frames topic, alone. Against a running cluster:
 * <pre>
 * vap ingest --cameras cameras.properties --bootstrap-servers kafka:9092 --registry-url http://registry:8081
 * </pre>
 * or self-contained, with an embedded broker and schema registry (data under {@code --work-dir}):
 * <pre>
 * vap ingest --embedded --camera lobby=rtsp://10.0.0.5/stream1 --camera demo=/data/sample.mp4
 * </pre>
 * Prints the status table every {@code --status-every} and on exit; metrics and health on
 * {@code ingest.http.port}. {@code vap ingest bench} is the benchmark.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, subcommands = IngestBenchCommand.class,
        description = "Run ingest alone: cameras (RTSP, HTTP, files, v4l2) to the frames topic as JPEG.")
public final class IngestCommand implements VapCommand {
    @Mixin
    ServiceOptions options = new ServiceOptions();
    @Option(names = "--cameras", description = "Camera file (ingest.cameras.file); re-read when it changes.")
    Path camerasFile;
    @Option(names = "--camera", description = "id=url: a camera without a file (repeatable); other keys with "
            + "-D ingest.camera.<id>.<key>=<value>.")
    Map<String, String> cameras = new LinkedHashMap<>();
    @Option(names = "--embedded", description = "Start an embedded Kafka broker and schema registry and publish there.")
    boolean embedded;
    @Option(names = "--work-dir", defaultValue = ".vap/ingest", description = "Data of --embedded (default ${DEFAULT-VALUE}).")
    Path workDir;
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
        List<AutoCloseable> open = new ArrayList<>();
        try {
            if (embedded) {
                try {
                    Class.forName("vap.embedded.EmbeddedKafka");
                } catch (ClassNotFoundException e) {
                    throw new IllegalArgumentException("--embedded needs vap-embedded on the classpath (run it through "
                            + "the vap launcher, or point at a cluster with --bootstrap-servers and --registry-url)");
                }
                EmbeddedBackend backend = EmbeddedBackend.start(workDir);
                open.add(0, backend);
                extra.put("kafka.bootstrap.servers", backend.bootstrapServers());
                extra.put("registry.url", backend.registryUrl());
            }
            Settings s = options.settings().with(extra);
            IngestConfig config = IngestConfig.from(s);
            if (config.camerasFile() == null && config.inlineCameras().isEmpty()) {
                throw new IllegalArgumentException("no cameras: give --cameras <file> or --camera id=url");
            }
            return ServiceRunner.of("ingest").runFor(runFor).statusEvery(statusEvery).run(s,
                    (settings, metrics) -> new IngestService(config, KafkaSettings.from(settings), metrics).start());
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }
}
