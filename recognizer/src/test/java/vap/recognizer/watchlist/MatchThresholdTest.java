package vap.recognizer.watchlist;

import org.junit.jupiter.api.Test;
import vap.core.config.Settings;
import vap.recognizer.index.Metric;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The calibrated threshold: impostor tail curves, the watchlist-size rule, the shipped table, the fixed override. */
class MatchThresholdTest {

    private static float[] steps(int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = i / (float) n;
        }
        return s;
    }

    @Test
    void curvePointsAreTheScoresThatExactlyThatFractionReaches() {
        // 1000 scores 0.000 .. 0.999: 1% of them (10) are at or above 0.990, 10^-2.5 (3) at or above 0.997.
        ImpostorScores t = ImpostorScores.of(steps(1000));
        assertEquals(0.990f, t.scoreAt(0.01, 1), 1e-6f);
        assertEquals(0.997f, t.scoreAt(Math.pow(10, -2.5), 1), 1e-6f);
        // Between 10^-2 (0.990) and 10^-2.25 (floor(5.62) = 5 scores: 0.995), linear in log(fraction).
        double mid = Math.pow(10, -2.125);
        assertEquals((0.990f + 0.995f) / 2, t.scoreAt(mid, 1), 1e-6f);
        // Rarer than 3 scores can show (0.1% is 1 score): extrapolated upwards along the last decade, never above 1.
        assertTrue(t.scoreAt(1e-3, 1) > 0.997f);
        assertTrue(t.scoreAt(1e-12, 1) <= 1f);
    }

    @Test
    void thresholdRisesWithTheWatchlistSoTheStrangerAlarmRateStays() {
        MatchThreshold m = new MatchThreshold(Metric.IP, Float.NaN, 0.01, ImpostorScores.of(steps(100_000)));
        // N = 1: each comparison may pass 1% of the time: score 0.99. N = 10: 1 - 0.99^(1/10) = 0.1005%: 0.999.
        assertEquals(0.99f, m.at(1, 1), 1e-4f);
        assertEquals(1 - 0.0010045f, m.at(10, 1), 2e-5f);
        assertTrue(m.at(1000, 1) > m.at(100, 1));
        // Unit vectors: the L2 threshold is the same cut, sqrt(2 - 2 cos).
        MatchThreshold l2 = new MatchThreshold(Metric.L2, Float.NaN, 0.01, ImpostorScores.of(steps(100_000)));
        assertEquals(Math.sqrt(2 - 2 * 0.99), l2.at(1, 1), 1e-3);
    }

    @Test
    void aFixedThresholdIgnoresTheSize() {
        WatchlistConfig fixed = WatchlistConfig.from(Settings.empty().with(Map.of("watchlist.threshold", "0.93")));
        assertTrue(!fixed.calibrated());
        MatchThreshold m = MatchThreshold.of(fixed);
        assertEquals(0.93f, m.at(1, 1));
        assertEquals(0.93f, m.at(100_000, 3));
    }

    @Test
    void theShippedTableIsMonotoneAndLetsTheDemoWatchlistMatch() {
        WatchlistConfig c = WatchlistConfig.defaults();
        assertTrue(c.calibrated());
        MatchThreshold m = MatchThreshold.of(c);
        float previous = -1;
        for (int n : new int[]{1, 3, 10, 100, 1000, 10_000}) {
            float t = m.at(n, 1);
            assertTrue(t >= previous, "threshold at " + n + " identities (" + t + ") below the one for fewer (" + previous + ")");
            assertTrue(t > 0.8f && t <= 1f, "threshold " + t);
            previous = t;
        }
        // The demo's three people match their own photos at 0.97-0.99 (README): the 3-identity threshold is below.
        assertTrue(m.at(3, 1) < 0.965f, "3-identity threshold " + m.at(3, 1));
    }

    @Test
    void everyEmbeddingSettingHasItsOwnShippedTableAndTheWatchlistPicksIt() {
        Map<String, Float> at1000 = new java.util.TreeMap<>();
        for (String landmarks : new String[] {"5", "68"}) {
            for (String mirror : new String[] {"false", "true"}) {
                WatchlistConfig c = WatchlistConfig.from(Settings.empty().with(Map.of(
                        "recognizer.embed.landmarks", landmarks, "recognizer.embed.mirror", mirror)));
                assertEquals(Integer.parseInt(landmarks), c.embedding().landmarks());
                MatchThreshold m = MatchThreshold.of(c);
                for (int faces = 1; faces <= 3; faces++) {
                    // One curve per fused-face count in each table: a track's mean is scored on its own curve.
                    assertTrue(m.at(1000, faces) > 0.85f && m.at(1000, faces) < 1f, landmarks + "/" + mirror + ": " + m.at(1000, faces));
                }
                at1000.put(landmarks + "/" + mirror, m.at(1000, 1));
            }
        }
        // Four different tables (the alignment and the mirror move the impostor scores), not one file read four times.
        assertEquals(4, new java.util.HashSet<>(at1000.values()).size(), at1000.toString());
        // The defaults are 68 points with the mirror.
        assertEquals(at1000.get("68/true"), MatchThreshold.of(WatchlistConfig.defaults()).at(1000, 1), at1000.toString());
    }
}
