package vap.recognizer.faiss;

/** The native FAISS layer cannot be loaded; the message names the Debian packages to install. */
public final class FaissUnavailableException extends RuntimeException {
    FaissUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
