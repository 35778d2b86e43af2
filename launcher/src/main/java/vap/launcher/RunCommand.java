package vap.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vap.core.cli.DurationConverter;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.core.observe.ServiceEndpoint;
import vap.detector.service.DetectorConfig;
import vap.detector.service.DetectorService;
import vap.embedded.EmbeddedStack;
import vap.demo.AlertFollower;
import vap.demo.AnnotatedVideo;
import vap.demo.OwnCameras;
import vap.demo.PipelineProgress;
import vap.demo.RunSummary;
import vap.demo.SampleCamera;
import vap.demo.SamplePipeline;
import vap.demo.SampleScenes;
import vap.recognizer.RecognizerConfig;
import vap.recognizer.service.RecognizerService;
import vap.sinks.SinksConfig;
import vap.sinks.SinksService;

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

    @Option(names = "--work-dir", defaultValue = "${env:VAP_WORK_DIR:-.vap/work}", description = "Data directory (default ${DEFAULT-VALUE}).")
    Path workDir;
    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long the cameras play (default ${DEFAULT-VALUE}).")
    Duration duration;
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
    @Option(names = "--source", paramLabel = "ID=FILE|URL",
            description = "Your own camera instead of the sample one: a video file (played once) or a camera URL; repeatable.")
    Map<String, String> sources = new LinkedHashMap<>();
    @Option(names = "--watchlist", paramLabel = "DIR",
            description = "Your own watchlist instead of the sample one: one sub-folder of photos per person.")
    Path watchlistDir;

    @Override
    public Integer call() throws Exception {
        Duration playFor = duration;
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
        Settings settings = SamplePipeline.settings(stack, work, suppressionWindow, extra);
        TopicAdmin.ensureTopics(kafka, topics, Math.max(4, Math.max(cameras, sources.size())), (short) 1);

        PrometheusMeterRegistry metrics = ServiceEndpoint.newRegistry("vap");
        ServiceEndpoint endpoint = ServiceEndpoint.start("127.0.0.1", settings.integer("http.port", 0), metrics);
        open.add(endpoint);

        Path video = null;
        if (sources.isEmpty()) {
            say("building the sample camera video from @vladmandic/face-api's demo photos");
            video = SampleScenes.build(SamplePipeline.SCENES, work.resolve("sample").resolve("sample-camera.mp4"));
        }

        say("starting sinks (PostgreSQL writers, alert stream) and the recognizer");
        SinksService sinks = SinksService.start(SinksConfig.from(settings), kafka, metrics);
        open.add(0, sinks);
        RecognizerService recognizer = RecognizerService.start(settings, metrics);
        open.add(0, recognizer);
        if (watchlistDir == null) {
            int enrolled = SamplePipeline.enrolWatchlist(settings, work, recognizer);
            say("watchlist: " + enrolled + " people enrolled from sample1.jpg (watchlist 'demo')");
        } else {
            say("watchlist: enrolling " + watchlistDir + " (one sub-folder per person)");
            int enrolled = SamplePipeline.enrolFolder(settings, watchlistDir, "own", recognizer, System.out);
            say("watchlist: " + enrolled + " people enrolled from " + watchlistDir + " (watchlist 'own')");
        }

        // The console on this machine only (its demo user's password is printed): 8080, or any free port if taken.
        vap.console.DemoUser demo = vap.console.DemoUser.create(work.resolve("console-users.csv"));
        Settings consoleSettings = settings.with(Map.of("console.users.file", demo.usersFile().toString(),
                "console.web.bind", settings.string("console.web.bind", "127.0.0.1")));
        vap.console.ConsoleService console;
        try {
            console = vap.console.ConsoleService.start(consoleSettings, metrics);
        } catch (RuntimeException portTaken) {
            console = vap.console.ConsoleService.start(consoleSettings.with("console.web.port", "0"), metrics);
        }
        open.add(0, console);
        endpoint.addCheck("console", console::health);
        say("console: http://127.0.0.1:" + console.port() + "/  user " + demo.name() + ", password " + demo.password());

        say("starting the detector");
        DetectorService detector = DetectorService.start(DetectorConfig.from(settings), kafka, metrics);
        open.add(0, detector);
        endpoint.addCheck("sinks", sinks::health);
        endpoint.addCheck("recognizer", recognizer::health);
        endpoint.addCheck("detector", detector::health);

        PipelineProgress progress = new PipelineProgress(kafka, List.of(topics.frames(), topics.faces(),
                topics.sightings(), topics.matches(), topics.appearances()));
        open.add(progress);
        AlertFollower alerts = new AlertFollower(kafka, topics.alerts(), System.out);
        open.add(0, alerts);

        Instant start = Instant.now();
        AutoCloseable ingest = sources.isEmpty() ? SampleCamera.start(video, cameras, fps, settings, kafka, metrics)
                : OwnCameras.start(sources, fps, settings, kafka, metrics);
        open.add(0, ingest);
        say(String.format("playing %d camera(s) at %.1f fps for %d s; alerts appear below as they happen "
                        + "(metrics: http://127.0.0.1:%d/metrics)", sources.isEmpty() ? cameras : sources.size(), fps,
                playFor.toSeconds(), endpoint.port()));
        long end = System.currentTimeMillis() + playFor.toMillis();
        while (System.currentTimeMillis() < end) {
            Thread.sleep(Math.min(10_000, Math.max(1, end - System.currentTimeMillis())));
            say(String.format("%3d s: frames %d, faces %d, embeddings %d, matches %d, appearance records (updates + closed) %d, alerts %d",
                    Duration.between(start, Instant.now()).toSeconds(), progress.since(topics.frames()),
                    progress.since(topics.faces()), progress.since(topics.sightings()),
                    progress.since(topics.matches()), progress.since(topics.appearances()), alerts.printed()));
        }
        open.remove(ingest);
        ingest.close();
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        say("cameras stopped; waiting for the pipeline to finish what is in flight");
        boolean drained = progress.awaitDrained(Map.of(
                DetectorConfig.from(settings).groupId(), topics.frames(),
                RecognizerConfig.from(settings).groupId(), topics.faces(),
                SinksConfig.from(settings).groupId(), topics.sightings()), 180_000);
        if (!drained) {
            say("the pipeline did not catch up within 3 minutes; the summary counts what was done");
        }
        // The last tracks close when their camera has been silent for recognizer.track.idle.close.after; then their
        // appearances (and the last alerts: the alert stream commits every 100 ms) reach the database.
        Thread.sleep(RecognizerConfig.from(settings).track().idleCloseAfter().toMillis() + 2000);
        RunSummary summary = RunSummary.collect(kafka, topics, stack.postgres().jdbcUrl(), start, seconds);
        System.out.println();
        System.out.println(summary.describe());
        System.out.println(embeddingsByReason(metrics));
        if (!noVideo) {
            for (Path p : AnnotatedVideo.write(kafka, topics, start, fps, work.resolve("output"))) {
                System.out.println("  annotated video: " + p);
            }
        }
        System.out.println("  database: psql -h 127.0.0.1 -p " + stack.postgres().port()
                + " -U postgres   (password postgres; tables sightings, matches, alerts, appearances)");
        return 0;
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

    /** Why the recognizer embedded what it did (recognizer.track.*: README "Configuration"). */
    static String embeddingsByReason(io.micrometer.core.instrument.MeterRegistry metrics) {
        StringBuilder line = new StringBuilder("  embeddings by reason  ");
        for (vap.recognizer.track.EmbedReason r : vap.recognizer.track.EmbedReason.values()) {
            var c = metrics.find("vap.recognizer.track.embeddings").tag("reason", r.tag()).counter();
            line.append(r.ordinal() == 0 ? " " : ", ").append(r.tag()).append(' ').append(c == null ? 0 : (long) c.count());
        }
        return line.toString();
    }

    static void say(String line) {
        System.out.println("vap: " + line);
    }

}
