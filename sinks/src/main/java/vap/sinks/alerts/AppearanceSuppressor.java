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
 * Turns matches into one alert per appearance. The recognizer publishes a Match when a face track's decision
 * becomes confident (and again if it changes), so a track's first Match of a person is alerted at once and any
 * further Match of the same (identity, track) is folded. Across tracks, and for untracked faces, a person on a
 * camera is not alerted again while matches of the same (identity, camera) come less than {@code window} apart.
 * Everything is measured in capture time (event time), including what is forgotten: under a backlog, matches lag
 * the wall clock by far more than the window, and forgetting by wall clock would alert one appearance twice.
 * The last-seen times live in a persistent, changelogged state store, so a restart forgets nothing.
 */
final class AppearanceSuppressor implements Processor<String, Match, String, Alert> {
    static final String STORE = "last-seen-by-identity-camera";
    private static final String TRACK = "track|";

    private final Duration window;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, Long> lastSeen;
    private long newestCapture = Long.MIN_VALUE;

    AppearanceSuppressor(Duration window) {
        this.window = window;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.lastSeen = context.getStateStore(STORE);
        // Forget appearances long over, so the store stays as small as the set of people currently in view. The
        // schedule is wall clock (it must run when no match comes), the horizon is capture time.
        context.schedule(window.multipliedBy(2).compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10)
                : window.multipliedBy(2), PunctuationType.WALL_CLOCK_TIME, ignored -> expire());
    }

    @Override
    public void process(Record<String, Match> record) {
        Match m = record.value();
        if (m == null) {
            return;
        }
        long seenAt = m.getFrame().getCaptureTimestamp().toEpochMilli();
        newestCapture = Math.max(newestCapture, seenAt);
        String key = m.getIdentityId() + "|" + m.getFrame().getCameraId();
        Long previous = lastSeen.get(key);
        boolean newAppearance = previous == null || seenAt - previous > window.toMillis();
        if (m.getTrackId() != null) {
            String trackKey = TRACK + m.getIdentityId() + "|" + m.getTrackId();
            Long trackSeen = lastSeen.get(trackKey);
            if (trackSeen != null) {
                newAppearance = false; // this track already was this person: one alert per track
            }
            lastSeen.put(trackKey, trackSeen == null ? seenAt : Math.max(seenAt, trackSeen));
        }
        if (newAppearance) {
            context.forward(record.withKey(m.getIdentityId()).withValue(alert(m)));
        }
        if (previous == null || seenAt > previous) {
            lastSeen.put(key, seenAt);
        }
    }

    private static Alert alert(Match m) {
        return Alert.newBuilder()
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
                .setTrackId(m.getTrackId())
                .setBestShotJpeg(m.getBestShotJpeg())
                .build();
    }

    /** Drops entries more than two windows older than the newest capture this task has seen. */
    private void expire() {
        if (newestCapture == Long.MIN_VALUE) {
            return; // nothing seen since start: no event time to measure age by
        }
        long horizon = newestCapture - window.toMillis() * 2;
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
