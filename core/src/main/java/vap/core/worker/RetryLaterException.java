package vap.core.worker;

/**
 * Thrown by a processor when the failure is not the records' fault (a database or downstream service is
 * down): the worker re-reads the batch after an exponential backoff, as long as it takes, and never
 * dead-letters it or commits past it.
 */
public final class RetryLaterException extends Exception {
    public RetryLaterException(String message, Throwable cause) {
        super(message, cause);
    }
}
