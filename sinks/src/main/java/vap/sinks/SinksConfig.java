package vap.sinks;

import vap.core.config.Settings;
import vap.core.kafka.Topics;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The sinks' configuration (README "Configuration", keys {@code sinks.*}). The database password is best
 * given as VAP_SINKS_JDBC_PASSWORD in the environment.
 */
public record SinksConfig(String jdbcUrl, String jdbcUser, String jdbcPassword, int batchSize, String dbGroupId,
                          String alertsApplicationId, Duration suppressionWindow, Path stateDir,
                          boolean exactlyOnce, Topics topics) {

    public static SinksConfig from(Settings s) {
        return new SinksConfig(
                s.required("sinks.jdbc.url"),
                s.string("sinks.jdbc.user", "postgres"),
                s.string("sinks.jdbc.password", ""),
                s.integer("sinks.batch.size", 500),
                s.string("sinks.db.group.id", "vap-sinks-db"),
                s.string("sinks.alerts.application.id", "vap-alerts"),
                s.duration("sinks.alerts.suppression.window", Duration.ofSeconds(30)),
                Path.of(s.string("sinks.alerts.state.dir", ".vap/work/streams")),
                s.bool("sinks.alerts.exactly.once", true),
                Topics.from(s));
    }
}
