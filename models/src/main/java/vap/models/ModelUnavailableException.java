package vap.models;

/** A model file is missing or does not match its pinned checksum. */
public final class ModelUnavailableException extends RuntimeException {
    public ModelUnavailableException(String message) {
        super(message);
    }
}
