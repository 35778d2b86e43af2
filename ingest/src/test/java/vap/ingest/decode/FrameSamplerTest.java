package vap.ingest.decode;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameSamplerTest {
    @Test
    void takesEveryFifthFrameOf25FpsFor5Fps() {
        FrameSampler s = new FrameSampler(5);
        List<Integer> taken = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            if (s.accept(i * 40_000L)) {
                taken.add(i);
            }
        }
        assertEquals(50, taken.size());
        for (int k = 0; k < taken.size(); k++) {
            assertEquals(k * 5, taken.get(k));
        }
    }

    @Test
    void keepsTheAverageForRatesThatDoNotDivide() {
        FrameSampler s = new FrameSampler(7);
        int taken = 0;
        for (int i = 0; i < 3000; i++) { // 100 s of 30 fps
            if (s.accept(Math.round(i * 1_000_000.0 / 30))) {
                taken++;
            }
        }
        assertTrue(Math.abs(taken - 700) <= 1, "took " + taken);
    }

    @Test
    void jitteryArrivalsAtTheTargetRateAreAllTaken() {
        FrameSampler s = new FrameSampler(25);
        Random r = new Random(7);
        int taken = 0;
        for (int i = 0; i < 500; i++) {
            long jitter = r.nextInt(12_000) - 6_000;
            if (s.accept(1_000_000 + i * 40_000L + jitter)) {
                taken++;
            }
        }
        assertTrue(taken >= 490, "took " + taken + " of 500 frames arriving at the target rate");
    }

    @Test
    void neverMoreThanTheTargetEvenFromAFastSource() {
        FrameSampler s = new FrameSampler(5);
        int taken = 0;
        for (int i = 0; i < 12_000; i++) { // 10 s of 1200 fps
            if (s.accept(i * 833L)) {
                taken++;
            }
        }
        assertTrue(taken <= 51, "took " + taken);
    }

    @Test
    void aSlowerSourcePassesWhole() {
        FrameSampler s = new FrameSampler(10);
        int taken = 0;
        for (int i = 0; i < 40; i++) {
            if (s.accept(i * 250_000L)) {
                taken++;
            }
        }
        assertEquals(40, taken);
    }

    @Test
    void restartsAfterAJumpBackOrALongGapWithoutABurst() {
        FrameSampler s = new FrameSampler(5);
        assertTrue(s.accept(10_000_000));
        assertTrue(s.accept(10_200_000));
        // A file loop: time goes back to 0.
        assertTrue(s.accept(0));
        assertEquals(false, s.accept(40_000));
        assertTrue(s.accept(200_000));
        // A reconnect after 30 s: one frame, then the normal spacing, not a catch-up burst.
        assertTrue(s.accept(30_200_000));
        assertEquals(false, s.accept(30_240_000));
        assertEquals(false, s.accept(30_280_000));
    }
}
