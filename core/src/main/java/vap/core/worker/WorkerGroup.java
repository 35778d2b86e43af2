package vap.core.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** N workers of one service in one process (threads = config), each its own consumer in the same group. */
public final class WorkerGroup implements AutoCloseable {
    private final List<BatchWorker<?>> workers = new ArrayList<>();

    public static WorkerGroup start(int threads, IntFunction<BatchWorker<?>> factory) {
        WorkerGroup g = new WorkerGroup();
        for (int i = 0; i < threads; i++) {
            g.workers.add(factory.apply(i).start());
        }
        return g;
    }

    public List<BatchWorker<?>> workers() {
        return List.copyOf(workers);
    }

    public boolean healthy() {
        return workers.stream().allMatch(w -> w.state() == BatchWorker.State.RUNNING
                || w.state() == BatchWorker.State.STARTING || w.state() == BatchWorker.State.RETRYING);
    }

    @Override
    public void close() {
        workers.forEach(BatchWorker::close);
    }
}
