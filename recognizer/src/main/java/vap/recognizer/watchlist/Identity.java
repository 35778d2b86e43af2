package vap.recognizer.watchlist;

import java.time.Instant;

/**
 * One enrolled person as the index sees them: the mean of their enrolment embeddings (re-normalised) under a
 * 64-bit index id derived from the identity id, so every replica assigns the same id without coordination.
 */
public record Identity(String identityId, String displayName, String watchlist, long indexId, float[] embedding,
                       int photos, Instant enrolledAt) {
}
