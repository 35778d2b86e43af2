package vap.sinks.alerts;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import vap.messages.Alert;
import vap.messages.Match;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns matches into one alert per appearance: a person seen on a camera is alerted on the first match, and
 * not again while matches of the same (identity, camera) keep coming less than {@code window} apart (by
 * capture time). After {@code window} without a match, the next one is a new appearance and a new alert.
 * The last-seen times live in a persistent, changelogged state store, so a restart forgets nothing.
 */
final class AppearanceSuppressor implements Processor<String, Match, String, Alert> {
    static final String STORE = "last-seen-by-identity-camera";

    private final Duration window;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, Long> lastSeen;

    AppearanceSuppressor(Duration window) {
        this.window = window;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.lastSeen = context.getStateStore(STORE);
        // Forget appearances long over, so the store stays as small as the set of people currently in view.
        context.schedule(window.multipliedBy(2).compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10)
                : window.multipliedBy(2), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<String, Match> record) {
        Match m = record.value();
        if (m == null) {
            return;
        }
        String key = m.getIdentityId() + "|" + m.getFrame().getCameraId();
        long seenAt = m.getFrame().getCaptureTimestamp().toEpochMilli();
        Long previous = lastSeen.get(key);
        if (previous == null || seenAt - previous > window.toMillis()) {
            Alert alert = Alert.newBuilder()
                    .setAlertId(m.getIdentityId() + "/" + m.getFrame().getCameraId() + "/" + m.getFrame().getSequence())
                    .setIdentityId(m.getIdentityId())
                    .setDisplayName(m.getDisplayName())
                    .setWatchlist(m.getWatchlist())
                    .setCameraId(m.getFrame().getCameraId())
                    .setCaptureTimestamp(m.getFrame().getCaptureTimestamp())
                    .setMetric(m.getMetric())
                    .setScore(m.getScore())
                    .setAge(m.getAge())
                    .setFrame(m.getFrame())
                    .setFaceIndex(m.getFaceIndex())
                    .setCrop(m.getCrop())
                    .setAlertedTimestamp(Instant.now())
                    .build();
            context.forward(record.withKey(m.getIdentityId()).withValue(alert));
        }
        if (previous == null || seenAt > previous) {
            lastSeen.put(key, seenAt);
        }
    }

    private void expire(long nowMillis) {
        long horizon = nowMillis - window.toMillis() * 2;
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = lastSeen.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value < horizon) {
                    old.add(kv.key);
                }
            });
        }
        old.forEach(lastSeen::delete);
    }
}
