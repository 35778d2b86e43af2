package vap.sinks.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import vap.messages.Alert;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How an alert reads on a terminal, and as one JSON object per line for scripts. */
public final class AlertFormat {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private AlertFormat() {
    }

    public static String human(Alert a) {
        String score = a.getMetric().equals("L2") ? String.format("distance %.3f", a.getScore())
                : String.format("similarity %.3f", a.getScore());
        return String.format("%s  ALERT  %s [%s] on camera %s  %s  age ~%.0f  (frame %d, face %d%s)",
                TIME.format(a.getCaptureTimestamp()), a.getDisplayName(), a.getWatchlist(), a.getCameraId(), score,
                a.getAge(), a.getFrame().getSequence(), a.getFaceIndex(),
                a.getTrackId() == null ? "" : ", track " + a.getTrackId());
    }

    public static String json(Alert a) {
        ObjectNode n = JSON.createObjectNode()
                .put("alertId", a.getAlertId())
                .put("identityId", a.getIdentityId())
                .put("displayName", a.getDisplayName())
                .put("watchlist", a.getWatchlist())
                .put("cameraId", a.getCameraId())
                .put("capturedAt", a.getCaptureTimestamp().toString())
                .put("alertedAt", a.getAlertedTimestamp().toString())
                .put("metric", a.getMetric())
                .put("score", a.getScore())
                .put("age", a.getAge())
                .put("frameSequence", a.getFrame().getSequence())
                .put("faceIndex", a.getFaceIndex());
        if (a.getTrackId() != null) {
            n.put("trackId", a.getTrackId());
        }
        if (a.getCrop() != null) {
            n.putObject("crop").put("topic", a.getCrop().getTopic()).put("partition", a.getCrop().getPartition())
                    .put("offset", a.getCrop().getOffset());
        }
        return n.toString();
    }
}
