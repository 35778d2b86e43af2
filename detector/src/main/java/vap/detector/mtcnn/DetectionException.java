package vap.detector.mtcnn;

/** A network failed to run (a PyTorch error, or a device that went away); the input itself was acceptable. */
public final class DetectionException extends RuntimeException {
    public DetectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
