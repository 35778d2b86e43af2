package vap.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client for the Confluent Schema Registry REST API (the subset serialisers need), which Apicurio's
 * ccompat API, Karapace and Redpanda also serve. Lookups are cached: a schema id never changes meaning,
 * so each is fetched once per process. Several comma-separated URLs are tried in order.
 */
public final class SchemaRegistryClient implements SchemaRegistry {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One registry URL and the Authorization header sent to it, and to no other URL (null: none). */
    private record Endpoint(URI base, String authorization) {
    }

    private final List<Endpoint> endpoints;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> idBySubjectAndSchema = new ConcurrentHashMap<>();

    public SchemaRegistryClient(String urls) {
        this(urls, Duration.ofSeconds(5), Duration.ofSeconds(10), null);
    }

    /**
     * @param urls            comma-separated base URLs; user-info in a URL ("https://user:secret@host") is used
     *                        for HTTP basic authentication and never logged
     * @param basicAuthUserInfo "user:password" for basic authentication, or null
     */
    public SchemaRegistryClient(String urls, Duration connectTimeout, Duration requestTimeout, String basicAuthUserInfo) {
        List<Endpoint> eps = new ArrayList<>();
        for (String u : urls.split(",")) {
            if (u.isBlank()) {
                continue;
            }
            URI uri = URI.create(u.trim().replaceAll("/+$", ""));
            // A URL's own user-info is its credential alone; the configured one serves the URLs that carry none.
            String userInfo = basicAuthUserInfo;
            if (uri.getUserInfo() != null) {
                userInfo = uri.getUserInfo();
                uri = URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                        + (uri.getRawPath() == null ? "" : uri.getRawPath()));
            }
            eps.add(new Endpoint(uri, userInfo == null ? null
                    : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8))));
        }
        if (eps.isEmpty()) {
            throw new IllegalArgumentException("schema registry URL is empty (set registry.url)");
        }
        this.endpoints = List.copyOf(eps);
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.requestTimeout = requestTimeout;
    }

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    @Override
    public int register(String subject, Schema schema) {
        String cacheKey = subject + "\u0000" + schema.toString();
        Integer cached = idBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode r = call("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema), "register schema under " + subject);
        int id = r.get("id").asInt();
        idBySubjectAndSchema.put(cacheKey, id);
        byId.putIfAbsent(id, schema);
        return id;
    }

    /** The id of {@code schema} if it is already registered under {@code subject}, without registering it. */
    @Override
    public int lookup(String subject, Schema schema) {
        String cacheKey = subject + "\u0000" + schema.toString();
        Integer cached = idBySubjectAndSchema.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        JsonNode r = call("POST", "/subjects/" + enc(subject), schemaBody(schema), "look up schema under " + subject);
        int id = r.get("id").asInt();
        idBySubjectAndSchema.put(cacheKey, id);
        return id;
    }

    /** The schema with global id {@code id}. */
    @Override
    public Schema byId(int id) {
        Schema s = byId.get(id);
        if (s != null) {
            return s;
        }
        JsonNode r = call("GET", "/schemas/ids/" + id, null, "fetch schema id " + id);
        Schema parsed = new Schema.Parser().parse(r.get("schema").asText());
        byId.putIfAbsent(id, parsed);
        return parsed;
    }

    /** The latest version registered under {@code subject}. Not cached: it changes as schemas evolve. */
    @Override
    public SchemaVersion latest(String subject) {
        JsonNode r = call("GET", "/subjects/" + enc(subject) + "/versions/latest", null, "fetch latest of " + subject);
        Schema schema = new Schema.Parser().parse(r.get("schema").asText());
        return new SchemaVersion(r.get("subject").asText(), r.get("version").asInt(), r.get("id").asInt(), schema);
    }

    /** Whether {@code schema} may be registered under {@code subject} given its compatibility level. */
    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode r = call("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest",
                    schemaBody(schema), "check compatibility with " + subject);
            return r.get("is_compatible").asBoolean();
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == 40401 || e.errorCode() == 40402) {
                return true; // nothing registered yet: anything is compatible
            }
            throw e;
        }
    }

    /** All subjects. */
    @Override
    public List<String> subjects() {
        JsonNode r = call("GET", "/subjects", null, "list subjects");
        List<String> out = new ArrayList<>();
        r.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Sets the compatibility level (BACKWARD, FORWARD, FULL, NONE, ..._TRANSITIVE) of one subject. */
    @Override
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        call("PUT", "/config/" + enc(subject), body, "set compatibility of " + subject);
    }

    private static ObjectNode schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).put("schemaType", "AVRO");
    }

    private JsonNode call(String method, String path, JsonNode body, String what) {
        SchemaRegistryException last = null;
        for (Endpoint ep : endpoints) {
            URI base = ep.base();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(requestTimeout)
                    .header("Accept", CONTENT_TYPE + ", application/json");
            if (ep.authorization() != null) {
                b.header("Authorization", ep.authorization());
            }
            if (body != null) {
                b.header("Content-Type", CONTENT_TYPE);
                b.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> resp;
            try {
                resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = new SchemaRegistryException("schema registry at " + base + " is unreachable while trying to "
                        + what + ": " + e, -1, -1, e);
                continue; // next URL
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while trying to " + what, -1, -1, e);
            }
            JsonNode parsed;
            try {
                parsed = resp.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(resp.body());
            } catch (IOException e) {
                throw new SchemaRegistryException("schema registry at " + base + " answered " + resp.statusCode()
                        + " with a body that is not JSON while trying to " + what, resp.statusCode(), -1, e);
            }
            if (resp.statusCode() / 100 == 2) {
                return parsed;
            }
            int code = parsed.path("error_code").asInt(resp.statusCode());
            String msg = parsed.path("message").asText(resp.body());
            throw new SchemaRegistryException("schema registry refused to " + what + ": HTTP " + resp.statusCode()
                    + " error " + code + ": " + msg, resp.statusCode(), code, null);
        }
        throw last;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
