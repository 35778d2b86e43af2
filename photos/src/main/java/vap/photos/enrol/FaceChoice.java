package vap.photos.enrol;

/**
 * Which face of a photo to enrol. A photo must show exactly one face unless the caller chooses one:
 * by its index in detection order (best score first) or the largest.
 */
public record FaceChoice(Integer index, boolean largest) {
    public static final FaceChoice ONLY = new FaceChoice(null, false);
    public static final FaceChoice LARGEST = new FaceChoice(null, true);

    public static FaceChoice index(int i) {
        return new FaceChoice(i, false);
    }
}
