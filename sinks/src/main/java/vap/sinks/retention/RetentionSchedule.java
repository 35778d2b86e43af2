package vap.sinks.retention;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link RowExpiry} every {@code sinks.retention.interval} on one daemon thread of the sinks service. A failed
 * pass (database away) is logged and retried at the next interval: expiry is never urgent enough to stop the writers.
 */
public final class RetentionSchedule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

    private final ScheduledExecutorService timer;

    private RetentionSchedule(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static RetentionSchedule start(RowExpiry expiry, RowRetention retention) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sinks-retention");
            t.setDaemon(true);
            return t;
        });
        // The first pass one interval after start: a short-lived run (a test, a demo) replaying old records keeps them.
        long first = retention.interval().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                expiry.expireNow();
            } catch (Exception e) {
                log.warn("retention: a pass failed ({}); the next one in {}", e.toString(), retention.interval());
            }
        }, first, retention.interval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("retention: strangers' rows kept {}, matched rows kept {}, checked every {}",
                describe(retention.strangers()), describe(retention.matched()), retention.interval());
        return new RetentionSchedule(timer);
    }

    private static String describe(Duration d) {
        return d.isZero() ? "for ever" : d.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
