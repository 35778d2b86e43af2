package vap.recognizer.feedback;

import vap.messages.Feedback;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds Feedback records (what {@code vap feedback} and the console publish) and reads their embedding back. */
public final class FeedbackRecords {
    private FeedbackRecords() {
    }

    /** Marking the same face again for the same person yields the same id, so it replaces rather than piles up. */
    public static String feedbackId(String identityId, String source) {
        return identityId + "@" + source;
    }

    public static Feedback notThisPerson(String identityId, FaceSource source, float[] embedding, String user,
                                         String reason) {
        if (embedding.length != vap.recognizer.watchlist.WatchlistConfig.DIMENSION) {
            throw new IllegalArgumentException(source + " has a " + embedding.length + "-d embedding, not "
                    + vap.recognizer.watchlist.WatchlistConfig.DIMENSION + "-d: not a face the recognizers could use");
        }
        List<Float> e = new ArrayList<>(embedding.length);
        for (float x : embedding) {
            e.add(x);
        }
        return Feedback.newBuilder().setFeedbackId(feedbackId(identityId, source.toString())).setIdentityId(identityId)
                .setEmbedding(e).setSource(source.toString()).setUser(user).setReason(reason)
                .setCreatedTimestamp(Instant.now()).build();
    }

    static float[] vector(Feedback f) {
        float[] v = new float[f.getEmbedding().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.getEmbedding().get(i);
        }
        return v;
    }
}
