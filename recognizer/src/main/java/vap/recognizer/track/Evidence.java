package vap.recognizer.track;

/**
 * One embedded crop a track keeps.
 *
 * @param bestIdentityId identity of the crop's own best candidate (null: no candidate), to count agreeing crops
 */
public record Evidence(float[] embedding, float quality, float age, String bestIdentityId, long captureMillis) {
}
