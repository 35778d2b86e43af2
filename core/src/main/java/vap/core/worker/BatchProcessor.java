package vap.core.worker;

import java.util.List;

/**
 * The work of one service on a batch of decoded records. Throwing fails the whole batch: the worker retries
 * it, then processes its records one by one and dead-letters those that still fail.
 */
@FunctionalInterface
public interface BatchProcessor<I> {
    void process(List<Incoming<I>> batch, Outbox out) throws Exception;

    /** Called when a poll brought nothing: a stateful processor may emit what time alone decides (closed tracks). */
    default void idle(Outbox out) throws Exception {
    }

    /**
     * The outputs of the last successful {@link #process} (or {@link #idle}) were not acknowledged (a batch is then
     * read again): a stateful processor forgets what that call changed.
     */
    default void discarded() {
    }

    /** The worker is stopping cleanly: a stateful processor hands over what it holds (open tracks' evidence). */
    default void closing(Outbox out) throws Exception {
    }
}
