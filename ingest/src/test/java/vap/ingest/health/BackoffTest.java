package vap.ingest.health;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    @Test
    void doublesUpToTheCapWithJitterBelowTheCeiling() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.5, new Random(42));
        long[] ceilings = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        for (long ceiling : ceilings) {
            long wait = b.next().toMillis();
            assertTrue(wait >= ceiling / 2 && wait <= ceiling, "wait " + wait + " for ceiling " + ceiling);
        }
        assertEquals(8, b.failures());
    }

    @Test
    void resetStartsOver() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 0.0, new Random(1));
        b.next();
        b.next();
        assertEquals(400, b.next().toMillis());
        b.reset();
        assertEquals(100, b.next().toMillis());
    }

    @Test
    void jitterSpreadsCamerasThatFailedTogether() {
        Backoff a = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(60), 0.5, new Random(1));
        Backoff b = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(60), 0.5, new Random(2));
        assertNotEquals(a.next(), b.next());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(1), 0.5, new Random()));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0.5, new Random()));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5, new Random()));
    }
}
