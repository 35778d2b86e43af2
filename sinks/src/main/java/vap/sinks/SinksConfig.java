package vap.sinks;

import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.core.kafka.Topics;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The sinks' configuration (README "Configuration", keys {@code sinks.*}). The database password is best
 * given as VAP_SINKS_JDBC_PASSWORD in the environment.
 *
 * @param groupId             consumer group of the database writers (all sinks replicas)
 * @param alertsApplicationId Kafka Streams application id of the alert stream
 * @param suppressionWindow   a person on a camera is alerted again only after this long unseen there
 * @param part                which half this process runs: both, the database writers or the alert stream
 * @param stallTimeout        /health reports a database writer that made no progress for this long
 * @param healthDownAfter     /health reports the database down once it has not answered for this long
 * @param retention           how long strangers' and matched rows stay in the database
 */
public record SinksConfig(String jdbcUrl, String jdbcUser, String jdbcPassword, int batchSize, String groupId,
                          String alertsApplicationId, Duration suppressionWindow, Path stateDir,
                          boolean exactlyOnce, Part part, Topics topics, Duration stallTimeout,
                          Duration healthDownAfter, vap.sinks.retention.RowRetention retention) {

    /** Which half of the sinks runs in this process ({@code sinks.only}), to scale them separately. */
    public enum Part {
        ALL, DB, ALERTS;

        public boolean databaseWriters() {
            return this != ALERTS;
        }

        public boolean alertStream() {
            return this != DB;
        }
    }

    public SinksConfig {
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new ConfigException("sinks.jdbc.url must be a JDBC URL (jdbc:postgresql://host:5432/db), got '"
                    + jdbcUrl + "'");
        }
        if (batchSize < 1) {
            throw new ConfigException("sinks.batch.size must be at least 1, got " + batchSize);
        }
        if (groupId.isBlank() || alertsApplicationId.isBlank()) {
            throw new ConfigException("sinks.group.id and sinks.alerts.application.id must not be empty");
        }
        if (suppressionWindow.isNegative() || suppressionWindow.isZero()) {
            throw new ConfigException("sinks.alerts.suppression.window must be positive, got " + suppressionWindow);
        }
    }

    public static SinksConfig from(Settings settings) {
        Settings s = settings.renamed("sinks.db.group.id", "sinks.group.id");
        return new SinksConfig(
                s.required("sinks.jdbc.url"),
                s.string("sinks.jdbc.user", "postgres"),
                s.string("sinks.jdbc.password", ""),
                s.integer("sinks.batch.size", 500),
                s.string("sinks.group.id", "vap-sinks-db"),
                s.string("sinks.alerts.application.id", "vap-alerts"),
                s.duration("sinks.alerts.suppression.window", Duration.ofSeconds(30)),
                Path.of(s.string("sinks.alerts.state.dir", ".vap/work/streams")),
                s.bool("sinks.alerts.exactly.once", true),
                part(s.string("sinks.only", "all")),
                Topics.from(s),
                vap.core.worker.WorkerConfig.stallTimeout(s, "sinks"),
                s.duration("sinks.health.database.down.after", Duration.ofSeconds(15)),
                vap.sinks.retention.RowRetention.from(s));
    }

    private static Part part(String value) {
        try {
            return Part.valueOf(value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sinks.only must be all, db or alerts, got '" + value + "'");
        }
    }
}
