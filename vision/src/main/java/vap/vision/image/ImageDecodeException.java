package vap.vision.image;

/** Bytes that are not a decodable image: empty, truncated, corrupt, or in a format OpenCV cannot read. */
public final class ImageDecodeException extends RuntimeException {
    private final String sourceName;

    public ImageDecodeException(String sourceName, String problem) {
        super(sourceName + ": " + problem);
        this.sourceName = sourceName;
    }

    public ImageDecodeException(String sourceName, String problem, Throwable cause) {
        super(sourceName + ": " + problem, cause);
        this.sourceName = sourceName;
    }

    /** Where the bytes came from (a file name, or camera and sequence of a frame). */
    public String sourceName() {
        return sourceName;
    }
}
