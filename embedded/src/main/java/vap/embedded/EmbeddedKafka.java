package vap.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker + controller), in this JVM, from the Kafka
 * jars. Its log lives in {@code dataDir}: a second start on the same directory keeps the topics and records.
 * Settings are those of a one-node cluster (replication factor 1 everywhere), otherwise Kafka's defaults.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
    }

    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, 0, 0, Map.of());
    }

    /**
     * @param port           client port (0: a free one)
     * @param controllerPort KRaft controller port (0: a free one)
     * @param overrides      extra broker settings
     */
    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort, Map<String, String> overrides) {
        long t0 = System.nanoTime();
        int brokerPort = FreePort.pick(port);
        int ctrlPort = FreePort.pick(controllerPort);
        Path logDir = dataDir.toAbsolutePath().resolve("log");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data directory " + logDir, e);
        }
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + ctrlPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + ctrlPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic can only have one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Frames are up to a few MB of JPEG; leave headroom for 4K cameras.
        p.put("message.max.bytes", String.valueOf(16 << 20));
        p.put("num.partitions", "4");
        p.put("auto.create.topics.enable", "true");
        // Compact the gallery promptly on a small demo log, and do not keep the demo's frames forever.
        p.put("log.cleaner.min.compaction.lag.ms", "0");
        p.put("log.retention.hours", "24");
        p.put("log.segment.bytes", String.valueOf(64 << 20));
        overrides.forEach(p::put);

        KafkaConfig config = KafkaConfig.fromProps(p, false);
        format(config, logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + brokerPort;
        EmbeddedKafka k = new EmbeddedKafka(server, bootstrap, dataDir);
        k.awaitReady();
        log.info("Kafka (KRaft, 1 node) ready on {} in {} ms, data in {}", bootstrap,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), logDir);
        return k;
    }

    private static void format(KafkaConfig config, Path logDir) {
        Path meta = logDir.resolve("meta.properties");
        if (Files.exists(meta)) {
            return; // formatted by an earlier start: keep the data
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady() {
        long deadline = System.currentTimeMillis() + 60_000;
        Exception last = null;
        while (System.currentTimeMillis() < deadline) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers,
                    "request.timeout.ms", 5000, "default.api.timeout.ms", 5000))) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for Kafka", ie);
                }
            }
        }
        throw new IllegalStateException("embedded Kafka did not become ready on " + bootstrapServers + " within 60 s", last);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates a topic unless it exists. */
    public void createTopic(String name, int partitions, boolean compacted) {
        Map<String, String> cfg = new HashMap<>();
        if (compacted) {
            cfg.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(name)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(cfg))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        long t0 = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
}
