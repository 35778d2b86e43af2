package vap.ingest.decode;

/**
 * Why a camera could not be opened or read, as a kind a caller can act on and a message a user can: already
 * redacted (no credentials), naming the camera's masked URL and, where FFmpeg said more, FFmpeg's reason.
 * Never carries the JavaCV exception as its cause, because that one's message quotes the unmasked URL.
 */
public final class SourceException extends Exception {
    /** What went wrong, from the user's point of view. */
    public enum Kind {
        /** The configuration can never work as it is (missing file, no such device, bad option). Not retried. */
        CONFIGURATION(false),
        /** The host name does not resolve or the network has no route to it. */
        HOST_UNREACHABLE(true),
        /** Nothing listens on that host and port. */
        REFUSED(true),
        /** No answer within the socket timeout. */
        TIMEOUT(true),
        /** The server has no stream at that path (404). */
        NOT_FOUND(true),
        /** The camera refused the credentials, or wants some (401/403). */
        UNAUTHORIZED(true),
        /** The source answered with something FFmpeg cannot read as video. */
        NOT_VIDEO(true),
        /** Any other input/output failure. */
        IO(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;

    public SourceException(Kind kind, String redactedMessage) {
        super(redactedMessage, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
