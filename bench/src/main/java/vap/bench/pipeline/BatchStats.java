package vap.bench.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How the workers batched their input, from their own meters (vap.worker.batch, vap.worker.records.in): records
 * per batch and time per batch. Live, records arrive a few at a time, so batches are smaller than in a replay,
 * where a backlog fills every poll; a batched model (the embedding network) pays per call.
 */
final class BatchStats {
    private BatchStats() {
    }

    static String describe(MeterRegistry metrics) {
        List<String> parts = new ArrayList<>();
        for (Timer t : metrics.find("vap.worker.batch").timers()) {
            String service = t.getId().getTag("service");
            Counter in = metrics.find("vap.worker.records.in").tag("service", service).counter();
            if (t.count() == 0 || in == null) {
                continue;
            }
            parts.add(String.format(Locale.ROOT, "%s %d x %.1f records, %.0f ms each", service, t.count(),
                    in.count() / t.count(), t.mean(TimeUnit.MILLISECONDS)));
        }
        return "batches: " + (parts.isEmpty() ? "none" : String.join("; ", parts));
    }
}
