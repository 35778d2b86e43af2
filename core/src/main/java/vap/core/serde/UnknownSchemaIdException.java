package vap.core.serde;

/** The schema id in the header is not known to the schema registry. */
public final class UnknownSchemaIdException extends WireFormatException {
    private final int schemaId;

    public UnknownSchemaIdException(String message, int schemaId, Throwable cause) {
        super(message, cause);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
