package vap.recognizer.watchlist;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.embedded.EmbeddedKafka;
import vap.embedded.SchemaRegistryServer;
import vap.messages.GalleryEntry;
import vap.testsupport.RandomVectors;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A replica restored from a snapshot taken before an erasure, once compaction has removed both the person's entry
 * and its tombstone, must not bring the person back: a snapshot older than delete.retention.ms is refused.
 */
class SnapshotErasureTest {
    static final String TOPIC = "vap.gallery";

    @TempDir
    Path dir;

    @Test
    void aPreErasureSnapshotCannotResurrectAnErasedPerson() throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
            try (Admin admin = Admin.create(ks.common())) {
                // "compact,delete" only so that the test may delete records (the broker refuses it on a pure compact
                // topic); the follower reads it as it reads the real gallery.
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of(
                        "cleanup.policy", "compact,delete", "delete.retention.ms", "2000")))).all().get(30, TimeUnit.SECONDS);
            }
            float[] v = RandomVectors.unit(2, WatchlistConfig.DIMENSION, 11);
            float[] alice = java.util.Arrays.copyOfRange(v, 0, WatchlistConfig.DIMENSION);
            float[] bob = java.util.Arrays.copyOfRange(v, WatchlistConfig.DIMENSION, 2 * WatchlistConfig.DIMENSION);
            try (GalleryPublisher publisher = new GalleryPublisher(ks, TOPIC)) {
                publisher.enrol(Watchlist.entry("alice", "Alice", "vip", List.of(alice)));
                publisher.enrol(Watchlist.entry("bob", "Bob", "vip", List.of(bob)));
                // 1. A replica follows the gallery and snapshots it on close: alice and bob.
                try (GalleryFollower before = follower(ks, "replica")) {
                    before.awaitCaughtUp(Duration.ofSeconds(30));
                    assertEquals(2, before.watchlist().size());
                }
                // 2. alice is erased; compaction later removes her entry and, after delete.retention.ms, the tombstone
                // too. deleteRecords leaves the log exactly as that compaction would for this replica's offsets.
                publisher.erase("alice");
            }
            try (Admin admin = Admin.create(ks.common())) {
                TopicPartition tp = new TopicPartition(TOPIC, 0);
                long end = endOffset(ks, tp);
                admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(end))).all().get(30, TimeUnit.SECONDS);
            }
            try (GalleryPublisher publisher = new GalleryPublisher(ks, TOPIC)) {
                publisher.enrol(Watchlist.entry("bob", "Bob", "vip", List.of(bob))); // what compaction keeps of bob
            }
            Thread.sleep(2500); // the snapshot is now older than delete.retention.ms

            // 3. The replica restarts from its snapshot directory: the stale snapshot is refused, the watchlist is
            // rebuilt from what the gallery holds, and alice stays erased.
            try (GalleryFollower after = follower(ks, "replica")) {
                after.awaitCaughtUp(Duration.ofSeconds(30));
                List<String> ids = after.watchlist().identities().stream().map(Identity::identityId).toList();
                System.out.println("after restart from a pre-erasure snapshot: " + ids);
                assertEquals(List.of("bob"), ids, "the erased person came back, or the others were lost");
            }
        }
    }

    private GalleryFollower follower(KafkaSettings ks, String name) {
        return new GalleryFollower(WatchlistConfig.defaults().withSnapshotDir(dir.resolve(name)), ks, TOPIC, new AvroCodec<>(ks.registryClient(), GalleryEntry.class), name);
    }

    private static long endOffset(KafkaSettings ks, TopicPartition tp) {
        Map<String, Object> p = new HashMap<>(ks.consumerProps("x", "end"));
        p.remove("group.id");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            return c.endOffsets(List.of(tp)).get(tp);
        }
    }
}
