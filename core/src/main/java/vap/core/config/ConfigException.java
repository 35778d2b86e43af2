package vap.core.config;

/** Configuration a user must fix; the message says which key and what is wrong. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
