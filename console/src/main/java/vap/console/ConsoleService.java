package vap.console;

import io.javalin.Javalin;
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
import vap.console.web.LoginRoutes;
import vap.console.web.SearchRoutes;
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

/**
 * The analysts' console: a web application (Javalin on Jetty 12, server-rendered pages) over the alert topic,
 * PostgreSQL and the gallery. Run with {@code vap console -D console.users.file=users.csv ...}, open
 * http://host:8080/ and log in; {@code vap run} starts it with a demo user.
 */
public final class ConsoleService implements Service {
    private static final Logger log = LoggerFactory.getLogger(ConsoleService.class);
    private final Javalin web;
    private final AlertFeed feed;
    private final CropStore crops;

    private ConsoleService(Javalin web, AlertFeed feed, CropStore crops) {
        this.web = web;
        this.feed = feed;
        this.crops = crops;
    }

    /** The ServiceRunner entry point. */
    public static ConsoleService start(Settings settings, MeterRegistry metrics) {
        return start(ConsoleConfig.from(settings), KafkaSettings.from(settings), Topics.from(settings));
    }

    public static ConsoleService start(ConsoleConfig config, KafkaSettings kafka, Topics topics) {
        UserDirectory users = UserDirectory.load(config.usersFile());
        ConsoleDatabase db = new ConsoleDatabase(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword());
        db.migrate();
        AlertFeed feed = AlertFeed.start(kafka, topics.alerts(), config.recentAlerts());
        CropStore crops = new CropStore(kafka);
        Sessions sessions = new Sessions(config.sessionTimeout(), Clock.systemUTC());
        Access access = new Access(sessions, config.cookieSecure());
        byte[] css = resource("/static/console.css");
        try {
            Javalin web = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.routes.before(access::check);
                c.routes.get("/static/console.css", ctx -> ctx.contentType("text/css").result(css));
                new LoginRoutes(users, sessions, access).register(c.routes);
                new AlertRoutes(feed, crops, db).register(c.routes);
                new SearchRoutes(db, new FaceSearch(config.searchTable()), crops, topics.faces()).register(c.routes);
            }).start(config.bind(), config.port());
            log.info("console: http://{}:{}/ ({} users)", config.bind(), web.port(), users.size());
            return new ConsoleService(web, feed, crops);
        } catch (RuntimeException e) {
            feed.close();
            crops.close();
            throw e;
        }
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
        web.stop();
        feed.close();
        crops.close();
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
