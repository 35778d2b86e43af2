package vap.recognizer.watchlist;

import org.junit.jupiter.api.Test;
import vap.core.config.Settings;
import vap.recognizer.index.Metric;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The threshold a person's negative feedback adapts to, alone and inside a watchlist's decision. */
class NegativeFeedbackTest {
    static final int D = WatchlistConfig.DIMENSION;

    /** Unit vector: {@code cos} along axis 0, the rest along {@code axis} (orthogonal to every other axis used). */
    static float[] at(double cos, int axis) {
        float[] v = new float[D];
        v[0] = (float) cos;
        v[axis] = (float) Math.sqrt(1 - cos * cos);
        return v;
    }

    @Test
    void thresholdRisesAboveTheNearestNegativeByTheMargin() {
        assertEquals(0.6f, Negatives.adapt(0.6f, 0.3f, Metric.IP), 1e-6f, "a far negative leaves it alone");
        assertEquals(0.82f, Negatives.adapt(0.6f, 0.8f, Metric.IP), 1e-6f);
        assertEquals(1f, Negatives.adapt(0.6f, 0.995f, Metric.IP), 1e-6f, "capped at a perfect match");
        // L2 on unit vectors: the distance bound tightens to that of cos 0.82, d = sqrt(2 - 2 * 0.82).
        assertEquals((float) Math.sqrt(2 - 2 * 0.82), Negatives.adapt(0.9f, 0.8f, Metric.L2), 1e-5f);
        assertEquals(0.4f, Negatives.adapt(0.4f, 0.3f, Metric.L2), 1e-6f);
    }

    @Test
    void negativesArePerIdentityAndWithdrawable() {
        Negatives n = new Negatives();
        n.put("f1", "alice", at(0.8, 1));
        n.put("f2", "alice", at(0.5, 2));
        n.put("f3", "bob", at(0.9, 3));
        assertEquals(2, n.of("alice"));
        // Against alice's own vector (axis 0): nearest negative has cos 0.8.
        assertEquals(0.82f, n.threshold("alice", at(1, 1), 0.6f, Metric.IP), 1e-5f);
        assertEquals(0.6f, n.threshold("carol", at(1, 1), 0.6f, Metric.IP), 1e-6f, "no feedback, no change");
        assertTrue(n.remove("f1"));
        assertFalse(n.remove("f1"));
        assertEquals(0.6f, n.threshold("alice", at(1, 1), 0.6f, Metric.IP), 1e-5f, "cos 0.5 + 0.02 stays below 0.6");
        n.put("f2", "bob", at(0.5, 2)); // the same id again replaces, here moving to another identity
        assertEquals(0, n.of("alice"));
        assertEquals(2, n.of("bob"));
    }

    @Test
    void theSameStrangerStopsMatchingWhileCloserFacesStillDo() {
        WatchlistConfig config = WatchlistConfig.from(Settings.of(Map.of("watchlist.threshold", "0.6")));
        float[] alice = at(1, 1);
        float[] stranger = at(0.8, 1);      // cos 0.8 to alice: above 0.6, so it matches at first
        float[] aliceAgain = at(0.95, 2);   // cos 0.95 to alice, 0.76 to the stranger
        float[] lookalike = at(0.8, 3);     // another face as close to alice as the stranger, cos 0.64 to it
        try (Watchlist w = new Watchlist(config)) {
            w.put(new Identity("alice", "Alice", "vip", Watchlist.indexIdOf("alice"), alice, 1, Instant.EPOCH));
            assertTrue(w.decide(stranger, 1).matched());

            w.applyFeedback(List.of(Watchlist.Feedback.given("alice@sighting:c/1/0", "alice", stranger)));
            Decision s = w.decide(stranger, 1);
            assertFalse(s.matched(), "the stranger no longer matches alice");
            assertEquals(1f, s.threshold(), 1e-5f, "held to its own similarity + margin (capped at 1)");
            Decision a = w.decide(aliceAgain, 1);
            assertTrue(a.matched(), "alice herself still does");
            assertEquals(0.8f * 0.95f + Negatives.MARGIN, a.threshold(), 1e-4f);
            assertTrue(w.decide(lookalike, 1).matched(), "a different face far from the negative is unaffected");

            w.applyFeedback(List.of(Watchlist.Feedback.withdrawn("alice@sighting:c/1/0")));
            assertTrue(w.decide(stranger, 1).matched(), "withdrawn feedback no longer applies");
            assertEquals(0, w.feedbackCount(null));
        }
    }
}
