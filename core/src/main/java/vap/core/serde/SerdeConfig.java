package vap.core.serde;

import vap.core.registry.SchemaRegistry;
import vap.core.registry.SchemaRegistryClient;

import java.time.Duration;
import java.util.Map;

/** Configuration keys of the serializer pair; the first three are the ones Confluent's serdes use. */
public final class SerdeConfig {
    public static final String REGISTRY_URL = "schema.registry.url";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String AUTO_REGISTER = "auto.register.schemas";
    public static final String VALUE_TYPE = "vap.value.type";

    private SerdeConfig() {
    }

    static SchemaRegistry registry(Map<String, ?> configs) {
        Object url = configs.get(REGISTRY_URL);
        if (url == null) {
            throw new IllegalArgumentException(REGISTRY_URL + " is required");
        }
        Object auth = configs.get(BASIC_AUTH_USER_INFO);
        return new SchemaRegistryClient(url.toString(), Duration.ofSeconds(5), Duration.ofSeconds(10),
                auth == null ? null : auth.toString());
    }
}
