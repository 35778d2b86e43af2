package vap.console.alerts;

import vap.messages.Alert;
import vap.messages.CropLocation;

import java.nio.ByteBuffer;
import java.time.Instant;

/** An alert as the console shows it; the best shot stays in memory only while the alert is recent. */
public record LiveAlert(String alertId, String identityId, String displayName, String watchlist, String cameraId,
                        Instant capturedAt, Instant alertedAt, String metric, float score, float age,
                        long frameSequence, int faceIndex, CropLocation crop, byte[] bestShotJpeg) {

    public static LiveAlert of(Alert a) {
        ByteBuffer best = a.getBestShotJpeg();
        byte[] jpeg = null;
        if (best != null) {
            jpeg = new byte[best.remaining()];
            best.duplicate().get(jpeg);
        }
        return new LiveAlert(a.getAlertId(), a.getIdentityId(), a.getDisplayName(), a.getWatchlist(), a.getCameraId(),
                a.getCaptureTimestamp(), a.getAlertedTimestamp(), a.getMetric(), a.getScore(), a.getAge(),
                a.getFrame().getSequence(), a.getFaceIndex(), a.getCrop(), jpeg);
    }

    /** The face's key in the sightings table (camera/frame/face), which "not this person" refers to. */
    public String faceKey() {
        return cameraId + "/" + frameSequence + "/" + faceIndex;
    }

    public boolean hasFace() {
        return bestShotJpeg != null || crop != null;
    }
}
