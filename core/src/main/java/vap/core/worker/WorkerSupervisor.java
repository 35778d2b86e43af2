package vap.core.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Keeps a worker's loop alive: whatever ends it (a commit refused after a rebalance, a registry answer that is not
 * a schema, an Error such as OutOfMemoryError) closes the worker's clients, waits a growing backoff and opens new
 * ones, so the loop starts again from the last committed offsets; only the worker's stop ends it.
 */
final class WorkerSupervisor {
    // The worker's logger: restarts are logged where operators already look for the worker's lines.
    private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);

    /** The worker's Kafka clients, replaced on every restart. */
    interface Clients {
        void open();

        void close();
    }

    private final WorkerConfig config;
    private final MeterRegistry metrics;
    private final Tags tags;
    private final BooleanSupplier running;
    private final LongConsumer pause;
    private final Consumer<BatchWorker.State> state;
    private final AtomicLong restarts = new AtomicLong();
    private volatile Throwable lastFailure;
    private int failuresInARow; // the loop's thread only

    /**
     * @param running whether the worker is still meant to run
     * @param pause   sleeps the given milliseconds, returning early when the worker stops
     * @param state   where the worker's state is reported
     */
    WorkerSupervisor(WorkerConfig config, MeterRegistry metrics, Tags tags, BooleanSupplier running, LongConsumer pause,
                     Consumer<BatchWorker.State> state) {
        this.config = config;
        this.metrics = metrics;
        this.tags = tags;
        this.running = running;
        this.pause = pause;
        this.state = state;
    }

    /** Runs {@code loop} until the worker stops, restarting it with new clients whenever it ends otherwise. */
    void supervise(Runnable loop, Clients clients) {
        while (running.getAsBoolean()) {
            try {
                loop.run();
            } catch (WakeupException e) {
                if (!running.getAsBoolean()) {
                    break; // the worker was asked to stop
                }
                restart(e, Duration.ZERO, "woken up unexpectedly", clients);
            } catch (CommitFailedException | RebalanceInProgressException e) {
                // The group moved our partitions while we worked: re-read from the committed offsets now.
                restart(e, Duration.ZERO, "the group rebalanced during a batch", clients);
            } catch (Throwable e) {
                if (!running.getAsBoolean()) {
                    break;
                }
                long ms = Math.min(config.restartBackoffMax().toMillis(),
                        config.retryBackoff().toMillis() << Math.min(failuresInARow, 10));
                restart(e, Duration.ofMillis(ms), "failed", clients);
            }
        }
    }

    /** A batch went through: the next failure starts from the shortest backoff again. */
    void succeeded() {
        failuresInARow = 0;
    }

    /** How often the loop was restarted. */
    long restarts() {
        return restarts.get();
    }

    /** The failure behind the last restart, or null. */
    Throwable lastFailure() {
        return lastFailure;
    }

    private void restart(Throwable e, Duration backoff, String why, Clients clients) {
        lastFailure = e;
        failuresInARow++;
        restarts.incrementAndGet();
        metrics.counter("vap.worker.restarts", tags.and("cause", e.getClass().getSimpleName())).increment();
        if (!backoff.isZero()) {
            state.accept(BatchWorker.State.FAILED);
        }
        log.error("{} worker on {} {} ({}); restart {} in {} ms from the committed offsets", config.service(),
                config.inputTopic(), why, RootCause.describe(e), restarts.get(), backoff.toMillis(), e);
        clients.close();
        pause.accept(backoff.toMillis());
        if (running.getAsBoolean()) {
            clients.open();
            state.accept(BatchWorker.State.STARTING);
        }
    }
}
