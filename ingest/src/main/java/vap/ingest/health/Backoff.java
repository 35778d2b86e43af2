package vap.ingest.health;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter and a cap: the n-th consecutive failure waits a random time between
 * {@code (1 - jitter)} and all of {@code min(max, initial * 2^(n-1))}. The jitter keeps a fleet of cameras
 * that failed together (a switch reboot) from reconnecting in lock-step.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final double jitter;
    private final RandomGenerator random;
    private int failures;

    public Backoff(Duration initial, Duration max, double jitter, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be within 0..1, got " + jitter);
        }
        this.initial = initial;
        this.max = max;
        this.jitter = jitter;
        this.random = random;
    }

    /** Records one more failure and returns how long to wait before the next attempt. */
    public Duration next() {
        failures++;
        long ceiling = ceilingMillis(failures);
        long low = Math.round(ceiling * (1 - jitter));
        return Duration.ofMillis(low + (long) (random.nextDouble() * (ceiling - low)));
    }

    /** The longest wait after {@code n} consecutive failures. */
    public long ceilingMillis(int n) {
        double d = initial.toMillis() * Math.pow(2, Math.min(n - 1, 40));
        return (long) Math.min(d, max.toMillis());
    }

    /** A connection has proved healthy: the next failure starts from the initial delay again. */
    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
