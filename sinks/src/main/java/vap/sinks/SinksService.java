package vap.sinks;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.observe.ConnectionProbe;
import vap.core.observe.ServiceEndpoint;
import vap.core.service.Service;
import vap.core.serde.AvroCodec;
import vap.core.worker.BatchWorker;
import vap.core.worker.WorkerConfig;
import vap.core.worker.WorkerGroup;
import vap.messages.Alert;
import vap.messages.Appearance;
import vap.messages.Match;
import vap.messages.Sighting;
import vap.sinks.alerts.AlertTopology;
import vap.sinks.db.AlertTable;
import vap.sinks.db.AppearanceTable;
import vap.sinks.db.Database;
import vap.sinks.db.DatabaseWriter;
import vap.sinks.db.MatchTable;
import vap.sinks.db.SightingTable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sinks: four database writers (sightings, matches, alerts, appearances; one consumer group) and the alert stream.
 * Replicas of this service share the work through Kafka's consumer groups and Streams' task assignment.
 */
public final class SinksService implements Service {
    private static final Logger log = LoggerFactory.getLogger(SinksService.class);

    private final List<BatchWorker<?>> writers = new ArrayList<>();
    private final List<DatabaseWriter<?>> dbWriters = new ArrayList<>();
    private final KafkaStreams alerts;
    private final Duration stallTimeout;
    private ConnectionProbe database;
    private vap.sinks.retention.RetentionSchedule retention;

    private SinksService(SinksConfig config, KafkaSettings kafka, MeterRegistry metrics) {
        var registry = kafka.registryClient();
        this.stallTimeout = config.stallTimeout();
        if (config.part().databaseWriters()) {
            Database db = new Database(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword());
            int applied = db.migrate();
            log.info("database {}: schema up to date ({} migrations applied now)", db.maskedUrl(), applied);
            database = new ConnectionProbe("database " + db.maskedUrl(), () -> {
                try (java.sql.Connection c = db.connect()) {
                    if (!c.isValid(5)) {
                        throw new java.sql.SQLException("connection not valid");
                    }
                }
            }, Duration.ofSeconds(2), config.healthDownAfter());
            if (!config.retention().keepsEverything()) {
                retention = vap.sinks.retention.RetentionSchedule.start(new vap.sinks.retention.RowExpiry(db,
                        config.retention(), java.time.Clock.systemUTC(), metrics), config.retention());
            }
            start(WorkerConfig.of("sinks-sightings", config.groupId(), config.topics().sightings(), config.batchSize(), kafka),
                    new AvroCodec<>(registry, Sighting.class), new DatabaseWriter<>(db, new SightingTable()), metrics);
            start(WorkerConfig.of("sinks-matches", config.groupId(), config.topics().matches(), config.batchSize(), kafka),
                    new AvroCodec<>(registry, Match.class), new DatabaseWriter<>(db, new MatchTable()), metrics);
            start(WorkerConfig.of("sinks-alerts", config.groupId(), config.topics().alerts(), config.batchSize(), kafka),
                    new AvroCodec<>(registry, Alert.class), new DatabaseWriter<>(db, new AlertTable()), metrics);
            start(WorkerConfig.of("sinks-appearances", config.groupId(), config.topics().appearances(), config.batchSize(), kafka),
                    new AvroCodec<>(registry, Appearance.class), new DatabaseWriter<>(db, new AppearanceTable()), metrics);
        }
        if (config.part().alertStream()) {
            alerts = new KafkaStreams(AlertTopology.build(config.topics().matches(), config.topics().alerts(),
                    config.suppressionWindow(), registry), AlertTopology.streamsConfig(config, kafka));
            alerts.setUncaughtExceptionHandler(e -> {
                log.error("alert stream thread failed; replacing it: {}", e.toString(), e);
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            alerts.start();
        } else {
            alerts = null;
        }
    }

    /** The parts {@code config.part()} names: both, only the database writers or only the alert stream. */
    public static SinksService start(SinksConfig config, KafkaSettings kafka, MeterRegistry metrics) {
        return new SinksService(config, kafka, metrics);
    }

    /** The entry point every service has (ServiceRunner's). */
    public static SinksService start(Settings settings, MeterRegistry metrics) {
        SinksConfig config = SinksConfig.from(settings);
        vap.core.kafka.TopicCheck.atStart(settings, topicNeeds(config));
        return start(config, KafkaSettings.from(settings), metrics);
    }

    /** The database writers read four topics (and dead-letter to theirs); the alert stream reads matches, writes alerts. */
    static vap.core.kafka.TopicCheck.Needs topicNeeds(SinksConfig config) {
        vap.core.kafka.Topics t = config.topics();
        if (!config.part().databaseWriters()) {
            return vap.core.kafka.TopicCheck.Needs.of("sinks", t.matches(), t.alerts());
        }
        return vap.core.kafka.TopicCheck.Needs.of("sinks", t.sightings(), t.matches(), t.alerts(), t.appearances())
                .withDeadLetters(t.sightings(), t.matches(), t.alerts(), t.appearances());
    }

    private <T extends org.apache.avro.specific.SpecificRecord> void start(WorkerConfig wc, AvroCodec<T> codec,
                                                                          DatabaseWriter<T> writer, MeterRegistry metrics) {
        dbWriters.add(writer);
        writers.add(new BatchWorker<>(wc.withStallTimeout(stallTimeout), codec, writer, metrics).start());
    }

    public boolean healthy() {
        boolean w = WorkerGroup.problems(writers, java.time.Instant.now()).isEmpty()
                && (database == null || database.health().up());
        boolean a = alerts == null || alerts.state().isRunningOrRebalancing() || alerts.state() == KafkaStreams.State.CREATED;
        return w && a;
    }

    @Override
    public ServiceEndpoint.Health health() {
        return healthy() ? ServiceEndpoint.Health.up(describe()) : ServiceEndpoint.Health.down(describe());
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        writers.forEach(x -> sb.append(x.state()).append(x.restarts() > 0 ? "(restarts " + x.restarts() + ")" : "").append(' '));
        WorkerGroup.problems(writers, java.time.Instant.now()).forEach(p -> sb.append(p).append("; "));
        if (database != null) {
            // Always named, so /health says whether the database has answered yet, not only when it is down.
            sb.append(database.health().detail()).append("; ");
        }
        if (alerts != null) {
            sb.append("alerts=").append(alerts.state());
        }
        return sb.toString().trim();
    }

    @Override
    public void close() {
        writers.forEach(BatchWorker::close);
        dbWriters.forEach(DatabaseWriter::close);
        if (retention != null) {
            retention.close();
        }
        if (database != null) {
            database.close();
        }
        if (alerts != null) {
            // Leave the group now: otherwise the next start (or another replica) waits out this member's
            // session timeout (45 s) before it gets the tasks, and alerts stall meanwhile.
            alerts.close(org.apache.kafka.streams.CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }
}
