package vap.recognizer.watchlist;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.messages.GalleryEntry;
import vap.testsupport.Await;
import vap.testsupport.KafkaStack;
import vap.testsupport.RandomVectors;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two recognizer replicas following one gallery topic on a real KRaft broker: enrol, erase, restart. */
class GalleryFollowerKafkaTest {
    static final String TOPIC = "vap.gallery";
    static final int D = WatchlistConfig.DIMENSION;

    @TempDir
    static Path dir;
    static KafkaStack kafka;
    static KafkaSettings settings;

    @BeforeAll
    static void start() {
        kafka = new KafkaStack(dir.resolve("kafka"));
        kafka.createCompactedTopic(TOPIC, 3);
        settings = kafka.settings();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    static GalleryFollower follower(String name) {
        WatchlistConfig config = WatchlistConfig.defaults().withSnapshotDir(dir.resolve(name));
        return new GalleryFollower(config, settings, TOPIC, new AvroCodec<>(settings.registryClient(), GalleryEntry.class), name);
    }

    @Test
    void enrolmentAndErasureReachBothReplicasAndSurviveARestart() throws Exception {
        float[] vectors = RandomVectors.unit(30, D, 5);
        float[] alice = Arrays.copyOfRange(vectors, 0, D);
        // 1. Two replicas start on an empty gallery.
        GalleryFollower a = follower("replica-a");
        GalleryFollower b = follower("replica-b");
        a.awaitCaughtUp(Duration.ofSeconds(30));
        b.awaitCaughtUp(Duration.ofSeconds(30));

        // 2. Enrol 30 identities (alice has two photos) through the topic.
        try (GalleryPublisher publisher = new GalleryPublisher(settings, TOPIC)) {
            publisher.enrol(Watchlist.entry("alice", "Alice", "vip", List.of(alice, alice)));
            for (int i = 1; i < 30; i++) {
                publisher.enrol(Watchlist.entry("p" + i, "P" + i, "default", List.of(Arrays.copyOfRange(vectors, i * D, (i + 1) * D))));
            }
            eventually(() -> a.watchlist().size() == 30 && b.watchlist().size() == 30, "both replicas see 30 identities");
            for (GalleryFollower r : List.of(a, b)) {
                Candidate best = r.watchlist().search(List.of(alice)).get(0).get(0);
                assertEquals("alice", best.identity().identityId());
                assertEquals(2, best.identity().photos());
                assertTrue(best.passes());
            }

            // 3. Erase alice with a tombstone: gone from both.
            publisher.erase("alice");
            eventually(() -> a.watchlist().get("alice").isEmpty() && b.watchlist().get("alice").isEmpty(), "alice erased on both");
            for (GalleryFollower r : List.of(a, b)) {
                assertEquals(29, r.watchlist().indexedVectors());
                assertFalse(r.watchlist().search(List.of(alice)).get(0).stream()
                        .anyMatch(c -> c.identity().identityId().equals("alice")));
            }

            // 4. Replica a stops (snapshot written on close); meanwhile p1 is erased and "carol" enrolled.
            a.close();
            publisher.erase("p1");
            publisher.enrol(Watchlist.entry("carol", "Carol", "default", List.of(alice)));
        }
        eventually(() -> b.watchlist().get("carol").isPresent() && b.watchlist().get("p1").isEmpty(), "b sees the changes");

        // 5. a restarts: restored from its snapshot, then caught up from the stored offsets.
        try (GalleryFollower again = follower("replica-a")) {
            again.awaitCaughtUp(Duration.ofSeconds(30));
            Watchlist w = again.watchlist();
            assertEquals(29, w.size());
            assertTrue(w.get("p1").isEmpty(), "erasure made while the replica was down still reaches it");
            assertEquals("carol", w.search(List.of(alice)).get(0).get(0).identity().identityId());
            assertEquals(b.positions(), again.positions());
            assertEquals(0, again.skipped());
        } finally {
            b.close();
        }
    }

    static void eventually(BooleanSupplier condition, String what) {
        Await.until(Duration.ofSeconds(30), condition, () -> what);
    }
}
