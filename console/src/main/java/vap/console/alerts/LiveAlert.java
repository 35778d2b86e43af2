package vap.console.alerts;

import vap.messages.Alert;
import vap.messages.CropLocation;

import java.nio.ByteBuffer;
import java.time.Instant;

/** An alert as the console shows it; the best shot stays in memory only while the alert is recent. */
public record LiveAlert(String alertId, String identityId, String displayName, String watchlist, String cameraId,
                        Instant capturedAt, Instant alertedAt, String metric, float score, float age,
                        CropLocation crop, byte[] bestShotJpeg) {

    public static LiveAlert of(Alert a) {
        ByteBuffer best = a.getBestShotJpeg();
        byte[] jpeg = null;
        if (best != null) {
            jpeg = new byte[best.remaining()];
            best.duplicate().get(jpeg);
        }
        return new LiveAlert(a.getAlertId(), a.getIdentityId(), a.getDisplayName(), a.getWatchlist(), a.getCameraId(),
                a.getCaptureTimestamp(), a.getAlertedTimestamp(), a.getMetric(), a.getScore(), a.getAge(),
                a.getCrop(), jpeg);
    }

    public boolean hasFace() {
        return bestShotJpeg != null || crop != null;
    }
}
