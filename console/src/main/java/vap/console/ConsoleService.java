package vap.console;

import io.javalin.Javalin;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.console.alerts.AlertFeed;
import vap.console.alerts.CropStore;
import vap.console.auth.Sessions;
import vap.console.auth.UserDirectory;
import vap.console.db.ConsoleDatabase;
import vap.console.web.Access;
import vap.console.web.AlertRoutes;
import vap.console.web.AlertStreams;
import vap.console.web.LoginRoutes;
import vap.console.web.PastFaceRoutes;
import vap.console.search.PastFaceSearch;
import vap.recognizer.faiss.FaissIndexes;
import vap.recognizer.watchlist.MatchThreshold;
import vap.recognizer.watchlist.WatchlistConfig;
import vap.console.web.SearchRoutes;
import vap.console.web.WatchlistRoutes;
import vap.console.web.CameraRoutes;
import vap.console.watchlist.Enrolments;
import vap.console.watchlist.GalleryView;
import vap.recognizer.feedback.FeedbackPublisher;
import vap.recognizer.watchlist.GalleryPublisher;
import vap.console.search.FaceSearch;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.core.observe.ServiceEndpoint;
import vap.core.service.Service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The analysts' console: a web application (Javalin on Jetty 12, server-rendered pages) over the alert topic,
 * PostgreSQL and the gallery. Run with {@code vap console -D console.users.file=users.csv ...}, open
 * http://host:8080/ and log in; {@code vap run} starts it with a demo user.
 */
public final class ConsoleService implements Service {
    private static final Logger log = LoggerFactory.getLogger(ConsoleService.class);
    /** The newest stored faces a search of the past reads at most (128 floats each: 512 MB at this many). */
    private static final int PAST_FACES = 1_000_000;
    private final Javalin web;
    private final List<AutoCloseable> parts;
    private final AlertFeed feed;
    private final AlertStreams streams;

    private ConsoleService(Javalin web, List<AutoCloseable> parts, AlertFeed feed, AlertStreams streams) {
        this.web = web;
        this.parts = parts;
        this.feed = feed;
        this.streams = streams;
    }

    /** The ServiceRunner entry point. */
    public static ConsoleService start(Settings settings, MeterRegistry metrics) throws IOException {
        return start(ConsoleConfig.from(settings), settings, metrics);
    }

    /** {@code settings} also gives Kafka, the registry, the topics and the detector/recognizer keys enrolment uses. */
    public static ConsoleService start(ConsoleConfig config, Settings settings, MeterRegistry metrics) throws IOException {
        KafkaSettings kafka = KafkaSettings.from(settings);
        Topics topics = Topics.from(settings);
        UserDirectory users = UserDirectory.load(config.usersFile());
        ConsoleDatabase db = new ConsoleDatabase(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword());
        db.migrate();
        Sessions sessions = new Sessions(config.sessionTimeout(), Clock.systemUTC());
        Access access = new Access(sessions, config.cookieSecure());
        byte[] css = resource("/static/console.css");
        List<AutoCloseable> opened = new ArrayList<>(); // closed again if a later part cannot start
        try {
            AlertFeed feed = opened(opened, AlertFeed.start(kafka, topics.alerts(), config.recentAlerts()));
            AlertStreams streams = opened(opened, new AlertStreams(AlertStreams.QUEUE_CAPACITY));
            feed.subscribe(streams);
            FunctionCounter.builder("vap_console_alert_streams_dropped", streams, AlertStreams::droppedClients)
                    .description("browsers disconnected because they fell behind the live alerts").register(metrics);
            Gauge.builder("vap_console_alert_streams", streams, AlertStreams::clients)
                    .description("live alert streams open").register(metrics);
            CropStore crops = opened(opened, new CropStore(kafka));
            GalleryView gallery = opened(opened, new GalleryView(kafka, topics.gallery()));
            GalleryPublisher publisher = opened(opened, new GalleryPublisher(kafka, topics.gallery()));
            FeedbackPublisher feedback = opened(opened, new FeedbackPublisher(kafka, topics.feedback()));
            Enrolments enrolments = opened(opened, new Enrolments(settings));
            WatchlistConfig watchlist = WatchlistConfig.from(settings); // the threshold past-face searches show
            Javalin web = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.routes.before(access::check);
                c.routes.get("/static/console.css", ctx -> ctx.contentType("text/css").result(css));
                new LoginRoutes(users, sessions, access).register(c.routes);
                new AlertRoutes(feed, streams, crops, db, gallery).register(c.routes);
                new SearchRoutes(db, new FaceSearch(config.searchTable()), crops, topics.faces(), feedback, gallery)
                        .register(c.routes);
                new WatchlistRoutes(gallery, publisher, enrolments, db).register(c.routes);
                new CameraRoutes(db, config.ingestHealth()).register(c.routes);
                new PastFaceRoutes(db, new PastFaceSearch(config.searchTable(), new FaissIndexes(), watchlist.metric(),
                        WatchlistConfig.DIMENSION, PAST_FACES), config.searchTable(), gallery, enrolments,
                        MatchThreshold.of(watchlist)).register(c.routes);
                c.jetty.multipartConfig.maxFileSize(20, io.javalin.config.SizeUnit.MB);
            }).start(config.bind(), config.port());
            log.info("console: http://{}:{}/ ({} users)", config.bind(), web.port(), users.size());
            return new ConsoleService(web, List.copyOf(opened), feed, streams);
        } catch (RuntimeException | IOException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static <T extends AutoCloseable> T opened(List<AutoCloseable> opened, T part) {
        opened.add(part);
        return part;
    }

    /** The port the pages are served on (useful when configured as 0). */
    public int port() {
        return web.port();
    }

    @Override
    public ServiceEndpoint.Health health() {
        return feed.healthy() ? ServiceEndpoint.Health.up("serving on port " + port())
                : ServiceEndpoint.Health.down("the alert feed stopped (see the log)");
    }

    @Override
    public void close() {
        streams.close(); // the browsers' streams first, while their responses are still open
        web.stop();
        closeAll(parts);
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (AutoCloseable p : parts) {
            try {
                p.close();
            } catch (Exception e) {
                log.warn("console: stopping {}: {}", p.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = ConsoleService.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the console's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
