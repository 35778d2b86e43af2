package vap.core.worker;

import java.util.List;

/**
 * The work of one service on a batch of decoded records. Throwing fails the whole batch: the worker retries
 * it, then processes its records one by one and dead-letters those that still fail.
 */
@FunctionalInterface
public interface BatchProcessor<I> {
    void process(List<Incoming<I>> batch, Outbox out) throws Exception;
}
