package vap.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.core.observe.ServiceEndpoint;
import vap.detector.service.DetectorConfig;
import vap.detector.service.DetectorService;
import vap.embedded.EmbeddedStack;
import vap.launcher.demo.AlertFollower;
import vap.launcher.demo.AnnotatedVideo;
import vap.launcher.demo.PipelineProgress;
import vap.launcher.demo.RunSummary;
import vap.launcher.demo.SampleScenes;
import vap.photos.enrol.Enroller;
import vap.photos.enrol.FaceChoice;
import vap.recognizer.service.RecognizerService;
import vap.sinks.SinksConfig;
import vap.sinks.SinksService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vap run}: the whole pipeline in one process on the embedded stack. It enrols a sample watchlist
 * (three people from one group photo), plays a sample camera over a real RTSP server (scenes with and
 * without them), prints alerts as they happen, then a summary and an annotated video of what it saw.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "The main job: embedded Kafka/PostgreSQL/registry, ingest -> detector -> recognizer -> sinks, a sample camera, live alerts.")
public final class RunCommand implements VapCommand {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    /** The sample camera: people on the watchlist appear in sample1 (twice), the others are strangers. */
    static final List<SampleScenes.Scene> SCENES = List.of(
            new SampleScenes.Scene("sample2.jpg", 6), new SampleScenes.Scene("sample1.jpg", 6),
            new SampleScenes.Scene("sample5.jpg", 6), new SampleScenes.Scene("sample1.jpg", 6));
    /** Enrolled from sample1.jpg: the three faces, by detection order. */
    static final int WATCHLIST_SIZE = 3;

    @Option(names = "--work-dir", defaultValue = "${env:VAP_WORK_DIR:-.vap/work}", description = "Data directory (default ${DEFAULT-VALUE}).")
    Path workDir;
    @Option(names = "--duration", defaultValue = "60s", description = "How long the cameras play (default ${DEFAULT-VALUE}).")
    String duration;
    @Option(names = "--cameras", defaultValue = "1", description = "Simulated cameras, each a stream of the sample video (default ${DEFAULT-VALUE}).")
    int cameras;
    @Option(names = "--fps", defaultValue = "2", description = "Frames per second published per camera (default ${DEFAULT-VALUE}).")
    double fps;
    @Option(names = "--suppression-window", defaultValue = "5s",
            description = "Alert once per appearance: a person is alerted again after this long unseen on a camera (default ${DEFAULT-VALUE}).")
    String suppressionWindow;
    @Option(names = {"-D", "--set"}, description = "Any configuration key=value (README, Configuration).")
    Map<String, String> extra = new LinkedHashMap<>();
    @Option(names = "--no-video", description = "Skip the annotated output video.")
    boolean noVideo;

    @Override
    public Integer call() throws Exception {
        Duration playFor = Settings.of(Map.of("d", duration)).duration("d", Duration.ofSeconds(60));
        Path work = workDir.toAbsolutePath();
        say("starting the embedded stack in " + work);
        Settings env = Settings.load(null); // VAP_STACK_*_PORT, as for `vap stack`
        EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Config(work, env.integer("stack.kafka.port", 0), 0,
                env.integer("stack.postgres.port", 0), env.integer("stack.registry.port", 0), true));
        List<AutoCloseable> open = new ArrayList<>();
        Thread hook = new Thread(() -> closeAll(open, stack), "vap-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return runPipeline(stack, work, playFor, open);
        } finally {
            closeAll(open, stack);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Ctrl-C: the JVM is already shutting down and the hook is doing the same cleanup
            }
        }
    }

    private int runPipeline(EmbeddedStack stack, Path work, Duration playFor, List<AutoCloseable> open) throws Exception {
        KafkaSettings kafka = stack.kafkaSettings();
        Topics topics = Topics.defaults();
        Settings settings = pipelineSettings(stack, work, suppressionWindow, extra);
        TopicAdmin.ensureTopics(kafka, topics, Math.max(4, cameras), (short) 1);

        PrometheusMeterRegistry metrics = ServiceEndpoint.newRegistry("vap");
        ServiceEndpoint endpoint = ServiceEndpoint.start("127.0.0.1", settings.integer("http.port", 0), metrics);
        open.add(endpoint);

        say("building the sample camera video from @vladmandic/face-api's demo photos");
        Path video = SampleScenes.build(SCENES, work.resolve("sample").resolve("sample-camera.mp4"));

        say("starting sinks (PostgreSQL writers, alert stream) and the recognizer");
        SinksService sinks = SinksService.start(SinksConfig.from(settings), kafka, metrics);
        open.add(0, sinks);
        RecognizerService recognizer = RecognizerService.start(settings, metrics);
        open.add(0, recognizer);
        enrolSampleWatchlist(settings, work, recognizer);

        say("starting the detector");
        DetectorService detector = DetectorService.start(DetectorConfig.from(settings), kafka, metrics);
        open.add(0, detector);
        endpoint.addCheck("sinks", () -> health(sinks.healthy(), sinks.describe()));
        endpoint.addCheck("recognizer", () -> health(recognizer.healthy(), recognizer.watchlist().size() + " identities"));
        endpoint.addCheck("detector", () -> health(detector.healthy(), detector.describe()));

        PipelineProgress progress = new PipelineProgress(kafka, List.of(topics.frames(), topics.faces(),
                topics.sightings(), topics.matches()));
        open.add(progress);
        AlertFollower alerts = new AlertFollower(kafka, topics.alerts(), System.out);
        open.add(0, alerts);

        Instant start = Instant.now();
        AutoCloseable ingest = SampleCamera.start(video, cameras, fps, settings, kafka, metrics);
        open.add(0, ingest);
        say(String.format("playing %d camera(s) at %.1f fps for %d s; alerts appear below as they happen "
                        + "(metrics: http://127.0.0.1:%d/metrics)", cameras, fps, playFor.toSeconds(), endpoint.port()));
        long end = System.currentTimeMillis() + playFor.toMillis();
        while (System.currentTimeMillis() < end) {
            Thread.sleep(Math.min(10_000, Math.max(1, end - System.currentTimeMillis())));
            say(String.format("%3d s: frames %d, faces %d, sightings %d, matches %d, alerts %d",
                    Duration.between(start, Instant.now()).toSeconds(), progress.since(topics.frames()),
                    progress.since(topics.faces()), progress.since(topics.sightings()),
                    progress.since(topics.matches()), alerts.printed()));
        }
        open.remove(ingest);
        ingest.close();
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        say("cameras stopped; waiting for the pipeline to finish what is in flight");
        boolean drained = progress.awaitDrained(Map.of(
                settings.string("detector.group.id", "vap-detector"), topics.frames(),
                settings.string("recognizer.group", "vap-recognizer"), topics.faces(),
                "vap-sinks-db", topics.sightings()), 180_000);
        if (!drained) {
            say("the pipeline did not catch up within 3 minutes; the summary counts what was done");
        }
        Thread.sleep(2000); // the alert stream commits every 100 ms; let the last alerts reach the database
        RunSummary summary = RunSummary.collect(kafka, topics, stack.postgres().jdbcUrl(), start, seconds);
        System.out.println();
        System.out.println(summary.describe());
        if (!noVideo) {
            for (Path p : AnnotatedVideo.write(kafka, topics, start, fps, work.resolve("output"))) {
                System.out.println("  annotated video: " + p);
            }
        }
        System.out.println("  database: psql -h 127.0.0.1 -p " + stack.postgres().port()
                + " -U postgres   (password postgres; tables sightings, matches, alerts)");
        return 0;
    }

    /**
     * Every service of the pipeline pointed at the embedded stack, state under {@code work}; {@code extra} wins.
     * Minimum face 40 px: the sample camera's faces are larger, and it is 2.5x cheaper than 20.
     */
    static Settings pipelineSettings(EmbeddedStack stack, Path work, String suppressionWindow, Map<String, String> extra) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("kafka.bootstrap.servers", stack.kafka().bootstrapServers());
        s.put("registry.url", stack.registry().url());
        s.put("sinks.jdbc.url", stack.postgres().jdbcUrl());
        s.put("sinks.jdbc.password", stack.postgres().password());
        s.put("sinks.alerts.state.dir", work.resolve("streams").toString());
        s.put("sinks.alerts.suppression.window", suppressionWindow);
        s.put("watchlist.snapshot.dir", work.resolve("watchlist").toString());
        s.put("detector.min.face.size", "40");
        s.putAll(extra);
        return Settings.of(s);
    }

    static void enrolSampleWatchlist(Settings settings, Path work, RecognizerService recognizer) throws Exception {
        Path photo = work.resolve("sample").resolve("watchlist-sample1.jpg");
        Files.createDirectories(photo.getParent());
        Files.write(photo, SampleScenes.photo("sample1.jpg"));
        try (Enroller enroller = Enroller.create(settings)) {
            for (int i = 0; i < WATCHLIST_SIZE; i++) {
                String id = "sample-person-" + (i + 1);
                var result = enroller.enrol(id, "Sample person " + (i + 1), "demo", List.of(photo), FaceChoice.index(i));
                if (result.accepted().isEmpty()) {
                    throw new IllegalStateException("could not enrol " + id + " from " + photo + ": " + result.rejected());
                }
            }
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (recognizer.watchlist().size() < WATCHLIST_SIZE && System.currentTimeMillis() < deadline) {
            Thread.sleep(200); // the recognizer learns of enrolments through the gallery topic
        }
        say("watchlist: " + recognizer.watchlist().size() + " people enrolled from sample1.jpg (watchlist 'demo')");
    }

    private static ServiceEndpoint.Health health(boolean up, String detail) {
        return up ? ServiceEndpoint.Health.up(detail) : ServiceEndpoint.Health.down(detail);
    }

    private static void closeAll(List<AutoCloseable> open, EmbeddedStack stack) {
        synchronized (open) {
            for (AutoCloseable c : List.copyOf(open)) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("stopping {}: {}", c.getClass().getSimpleName(), e.toString());
                }
            }
            open.clear();
        }
        stack.close();
    }

    static void say(String line) {
        System.out.println("vap: " + line);
    }

}
