package vap.core.worker;

import java.time.Duration;
import java.time.Instant;
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

    /** Down when any worker is failed (waiting to restart), stopped, or has made no progress for its stall timeout. */
    public boolean healthy() {
        return problems(Instant.now()).isEmpty();
    }

    /** What is wrong, one phrase per worker ("worker 1 failed: ...", "worker 0 stalled for 312 s"); empty: nothing. */
    public List<String> problems(Instant now) {
        return problems(workers, now);
    }

    /** The same check for workers a service holds without a group. */
    public static List<String> problems(List<? extends BatchWorker<?>> workers, Instant now) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            BatchWorker<?> w = workers.get(i);
            String name = w.config().service() + " worker " + i;
            BatchWorker.State s = w.state();
            Duration stalled = w.stalledFor(now);
            if (s == BatchWorker.State.FAILED || s == BatchWorker.State.STOPPED) {
                Throwable f = w.lastFailure();
                out.add(name + " " + s.name().toLowerCase() + (f == null ? "" : ": " + RootCause.describe(f)));
            } else if (!stalled.isZero()) {
                out.add(name + " made no progress for " + stalled.toSeconds() + " s (" + s.name().toLowerCase() + ")");
            }
        }
        return out;
    }

    /** "RUNNING RUNNING (restarts 2)": the states, for health details and status lines. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        long restarts = 0;
        for (BatchWorker<?> w : workers) {
            sb.append(w.state()).append(' ');
            restarts += w.restarts();
        }
        if (restarts > 0) {
            sb.append("(restarts ").append(restarts).append(')');
        }
        List<String> p = problems(Instant.now());
        if (!p.isEmpty()) {
            sb.append("; ").append(String.join("; ", p));
        }
        return sb.toString().trim();
    }

    @Override
    public void close() {
        workers.forEach(BatchWorker::close);
    }
}
