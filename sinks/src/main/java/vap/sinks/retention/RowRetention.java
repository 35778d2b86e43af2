package vap.sinks.retention;

import vap.core.config.ConfigException;
import vap.core.config.Settings;

import java.time.Duration;

/**
 * How long the sinks keep rows in PostgreSQL (README "Retention and erasure"; keys {@code sinks.retention.*}).
 * A zero duration keeps the rows for ever.
 *
 * @param strangers how long faces no one was matched to are kept: unmatched sightings (embeddings) and appearances
 *                  without an identity (fused embedding, best-shot crop); by capture time (an appearance: its last face)
 * @param matched   how long watchlisted people's rows are kept: matched sightings, matches, alerts, appearances
 *                  with an identity
 * @param interval  how often the expired rows are deleted
 * @param batchSize rows per delete transaction, so no lock is held long and the writers never wait behind it
 */
public record RowRetention(Duration strangers, Duration matched, Duration interval, int batchSize) {
    public static final Duration STRANGERS = Duration.ofDays(30);

    public RowRetention {
        if (strangers.isNegative() || matched.isNegative()) {
            throw new ConfigException("sinks.retention.strangers and sinks.retention.matched must be 0 (keep) or "
                    + "positive, got " + strangers + " and " + matched);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new ConfigException("sinks.retention.interval must be positive, got " + interval);
        }
        if (batchSize < 1) {
            throw new ConfigException("sinks.retention.batch.size must be at least 1, got " + batchSize);
        }
    }

    public static RowRetention from(Settings s) {
        return new RowRetention(keep(s, "sinks.retention.strangers", STRANGERS), keep(s, "sinks.retention.matched",
                Duration.ZERO), s.duration("sinks.retention.interval", Duration.ofMinutes(10)),
                s.integer("sinks.retention.batch.size", 1000));
    }

    /** Nothing expires: both durations zero. */
    public boolean keepsEverything() {
        return strangers.isZero() && matched.isZero();
    }

    private static Duration keep(Settings s, String key, Duration fallback) {
        String v = s.string(key, null);
        return v != null && v.trim().equals("0") ? Duration.ZERO : s.duration(key, fallback);
    }
}
