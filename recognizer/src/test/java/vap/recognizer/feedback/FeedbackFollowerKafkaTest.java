package vap.recognizer.feedback;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.messages.Feedback;
import vap.recognizer.watchlist.Identity;
import vap.recognizer.watchlist.Watchlist;
import vap.recognizer.watchlist.WatchlistConfig;
import vap.testsupport.Await;
import vap.testsupport.KafkaStack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two recognizer replicas' watchlists following one compacted feedback topic on a real KRaft broker. */
class FeedbackFollowerKafkaTest {
    static final String TOPIC = "vap.feedback";
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

    static float[] at(double cos, int axis) {
        float[] v = new float[D];
        v[0] = (float) cos;
        v[axis] = (float) Math.sqrt(1 - cos * cos);
        return v;
    }

    static Watchlist replica(float[] alice) {
        Watchlist w = new Watchlist(WatchlistConfig.from(Settings.of(Map.of("watchlist.threshold", "0.6"))));
        w.put(new Identity("alice", "Alice", "vip", Watchlist.indexIdOf("alice"), alice, 1, Instant.EPOCH));
        return w;
    }

    static FeedbackFollower follower(Watchlist w, String name) {
        return new FeedbackFollower(w, settings, TOPIC, new AvroCodec<>(settings.registryClient(), Feedback.class), name);
    }

    @Test
    void feedbackReachesBothReplicasAndStopsTheStrangerOnly() throws Exception {
        float[] alice = at(1, 1);
        float[] stranger = at(0.8, 1);    // similarity 0.8 to alice: a false match at threshold 0.6
        float[] aliceAgain = at(0.95, 2); // alice on another day: 0.95 to her, 0.76 to the stranger
        assertTrue(FeedbackFollower.topicExists(settings, TOPIC));
        assertFalse(FeedbackFollower.topicExists(settings, "vap.no-such-feedback"));
        try (Watchlist wa = replica(alice); Watchlist wb = replica(alice);
             FeedbackFollower a = follower(wa, "replica-a"); FeedbackFollower b = follower(wb, "replica-b");
             FeedbackPublisher publisher = new FeedbackPublisher(settings, TOPIC)) {
            a.awaitCaughtUp(Duration.ofSeconds(30));
            b.awaitCaughtUp(Duration.ofSeconds(30));
            for (Watchlist w : List.of(wa, wb)) {
                assertTrue(w.decide(stranger, 1).matched(), "before feedback the stranger matches alice");
            }

            Feedback f = FeedbackRecords.notThisPerson("alice", FaceSource.sighting("lobby-1/42/0"), stranger, "ana", null);
            assertEquals("alice@sighting:lobby-1/42/0", f.getFeedbackId());
            publisher.publish(f);
            eventually(() -> wa.feedbackCount("alice") == 1 && wb.feedbackCount("alice") == 1, "both replicas hold it");
            for (Watchlist w : List.of(wa, wb)) {
                assertFalse(w.decide(stranger, 1).matched(), "the same stranger no longer matches alice");
                assertTrue(w.decide(aliceAgain, 1).matched(), "alice's own face still does");
                assertEquals("alice", w.decide(aliceAgain, 1).best().identity().identityId());
            }

            // A replica starting later reads the whole topic from the beginning.
            try (Watchlist wc = replica(alice); FeedbackFollower c = follower(wc, "replica-c")) {
                c.awaitCaughtUp(Duration.ofSeconds(30));
                assertEquals(1, wc.feedbackCount("alice"));
                assertFalse(wc.decide(stranger, 1).matched());
            }

            publisher.withdraw(f.getFeedbackId()); // a tombstone withdraws it everywhere
            eventually(() -> wa.feedbackCount(null) == 0 && wb.feedbackCount(null) == 0, "both replicas drop it");
            assertTrue(wa.decide(stranger, 1).matched());
            assertEquals(0, a.skipped() + b.skipped());
        }
    }

    static void eventually(BooleanSupplier condition, String what) {
        Await.until(Duration.ofSeconds(30), condition, () -> what);
    }
}
