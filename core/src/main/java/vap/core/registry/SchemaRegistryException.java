package vap.core.registry;

/**
 * The registry refused a request or could not be reached. {@link #errorCode()} is the Confluent error code
 * (40401 subject not found, 40403 schema not found, 409 incompatible, 42201 invalid schema), or -1.
 */
public final class SchemaRegistryException extends RuntimeException {
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }
}
