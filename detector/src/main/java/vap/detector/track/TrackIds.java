package vap.detector.track;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Track ids {@code <cameraId>/<instance>/<n>}: the instance part is this tracker's start time in base 36 plus a
 * random suffix, so ids never repeat across cameras, detector replicas or restarts (a replica that starts in the
 * same millisecond as another differs in the suffix).
 */
final class TrackIds {
    private final String instance;
    private final AtomicLong counter = new AtomicLong();

    TrackIds(long startMillis) {
        this.instance = Long.toString(startMillis, 36) + "-"
                + Long.toString(new SecureRandom().nextLong() & 0x7fff_ffffL, 36);
    }

    String instance() {
        return instance;
    }

    String next(String cameraId) {
        return cameraId + "/" + instance + "/" + counter.incrementAndGet();
    }
}
