package vap.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.registry.Compatibility;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A small schema registry speaking the Confluent REST API subset that serialisers and operators use:
 * subjects, versions, global ids, lookups, per-subject compatibility (BACKWARD by default, checked with
 * Avro's own SchemaCompatibility) and config. For the embedded stack and tests, so that the real
 * {@link vap.core.registry.SchemaRegistryClient} is always exercised over HTTP. With a state file, registered
 * schemas survive a restart (records in Kafka keep pointing at valid ids). Not for production: use Confluent
 * Schema Registry, Apicurio (ccompat), Karapace or Redpanda there.
 * <p>Over 300 lines because it is one REST resource tree: each route is a few lines, and splitting them would scatter the API it mimics.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LEVELS = Compatibility.LEVELS;

    private record Registered(int id, Schema schema) {
    }

    private final HttpServer server;
    private final Path stateFile;
    private final Map<Integer, Schema> byId = new LinkedHashMap<>();
    private final Map<String, List<Integer>> versions = new LinkedHashMap<>(); // subject -> ids by version-1
    private final Map<String, String> compatibility = new LinkedHashMap<>();
    private String globalCompatibility = Compatibility.DEFAULT;

    private SchemaRegistryServer(HttpServer server, Path stateFile) {
        this.server = server;
        this.stateFile = stateFile;
    }

    public static SchemaRegistryServer start(int port) {
        return start("127.0.0.1", port, null);
    }

    /** @param stateFile where schemas are kept across restarts, or null for memory only */
    public static SchemaRegistryServer start(String bindAddress, int port, Path stateFile) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(bindAddress, FreePort.pick(port)), 0);
            SchemaRegistryServer s = new SchemaRegistryServer(http, stateFile);
            s.load();
            http.createContext("/", s::handle);
            http.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "schema-registry");
                t.setDaemon(true);
                return t;
            }));
            http.start();
            log.info("schema registry on {} ({} schemas)", s.url(), s.byId.size());
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the schema registry on port " + port, e);
        }
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String method = ex.getRequestMethod();
            String[] p = splitPath(ex.getRequestURI().getRawPath());
            JsonNode body = "POST".equals(method) || "PUT".equals(method) ? readBody(ex) : null;
            Object result;
            synchronized (this) {
                result = route(method, p, body);
            }
            respond(ex, 200, result);
        } catch (ApiError e) {
            ObjectNode err = JSON.createObjectNode().put("error_code", e.code).put("message", e.getMessage());
            respond(ex, e.status, err);
        } catch (RuntimeException e) {
            log.warn("schema registry: {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            ObjectNode err = JSON.createObjectNode().put("error_code", 50001).put("message", e.toString());
            respond(ex, 500, err);
        }
    }

    private Object route(String m, String[] p, JsonNode body) {
        if (p.length == 1 && p[0].equals("subjects") && m.equals("GET")) {
            return new ArrayList<>(versions.keySet());
        }
        if (p.length >= 2 && p[0].equals("subjects")) {
            String subject = p[1];
            if (p.length == 2 && m.equals("POST")) {
                return lookup(subject, parse(body));
            }
            if (p.length == 3 && p[2].equals("versions") && m.equals("GET")) {
                List<Integer> vs = subjectVersions(subject);
                List<Integer> out = new ArrayList<>();
                for (int i = 1; i <= vs.size(); i++) {
                    out.add(i);
                }
                return out;
            }
            if (p.length == 3 && p[2].equals("versions") && m.equals("POST")) {
                return JSON.createObjectNode().put("id", register(subject, parse(body)));
            }
            if (p.length == 4 && p[2].equals("versions") && m.equals("GET")) {
                return version(subject, p[3]);
            }
            if (p.length == 5 && p[2].equals("versions") && p[4].equals("schema") && m.equals("GET")) {
                return JSON.valueToTree(version(subject, p[3]).get("schema").asText());
            }
        }
        if (p.length == 3 && p[0].equals("schemas") && p[1].equals("ids") && m.equals("GET")) {
            Schema s = byId.get(parseInt(p[2], 40403, "schema"));
            if (s == null) {
                throw new ApiError(404, 40403, "Schema " + p[2] + " not found");
            }
            return JSON.createObjectNode().put("schema", s.toString());
        }
        if (p.length == 5 && p[0].equals("compatibility") && p[1].equals("subjects") && p[3].equals("versions")
                && m.equals("POST")) {
            Schema candidate = parse(body);
            String problem = incompatibility(p[2], candidate);
            return JSON.createObjectNode().put("is_compatible", problem == null);
        }
        if (p.length >= 1 && p[0].equals("config")) {
            if (m.equals("GET")) {
                String level = p.length == 2 ? compatibility.getOrDefault(p[1], globalCompatibility) : globalCompatibility;
                return JSON.createObjectNode().put("compatibilityLevel", level);
            }
            if (m.equals("PUT")) {
                String level = body == null ? null : body.path("compatibility").asText(null);
                if (level == null || !LEVELS.contains(level)) {
                    throw new ApiError(422, 42203, "Invalid compatibility level " + level + "; one of " + LEVELS);
                }
                if (p.length == 2) {
                    compatibility.put(p[1], level);
                } else {
                    globalCompatibility = level;
                }
                save();
                return JSON.createObjectNode().put("compatibility", level);
            }
        }
        if (p.length == 0 && m.equals("GET")) {
            return JSON.createObjectNode();
        }
        throw new ApiError(404, 404, "HTTP 404 Not Found: " + m + " /" + String.join("/", p));
    }

    private int register(String subject, Schema schema) {
        List<Integer> vs = versions.computeIfAbsent(subject, s -> new ArrayList<>());
        for (int id : vs) {
            if (byId.get(id).equals(schema)) {
                return id; // already registered under this subject: idempotent
            }
        }
        String problem = incompatibility(subject, schema);
        if (problem != null) {
            if (vs.isEmpty()) {
                versions.remove(subject);
            }
            throw new ApiError(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\" (" + levelOf(subject) + "): " + problem);
        }
        int id = byId.entrySet().stream().filter(e -> e.getValue().equals(schema)).map(Map.Entry::getKey)
                .findFirst().orElse(byId.size() + 1);
        byId.putIfAbsent(id, schema);
        vs.add(id);
        save();
        return id;
    }

    private ObjectNode lookup(String subject, Schema schema) {
        List<Integer> vs = subjectVersions(subject);
        for (int i = 0; i < vs.size(); i++) {
            if (byId.get(vs.get(i)).equals(schema)) {
                return versionNode(subject, i + 1, vs.get(i));
            }
        }
        throw new ApiError(404, 40403, "Schema not found under subject " + subject);
    }

    private ObjectNode version(String subject, String version) {
        List<Integer> vs = subjectVersions(subject);
        int v = version.equals("latest") || version.equals("-1") ? vs.size() : parseInt(version, 42202, "version");
        if (v < 1 || v > vs.size()) {
            throw new ApiError(404, 40402, "Version " + version + " not found for subject " + subject);
        }
        return versionNode(subject, v, vs.get(v - 1));
    }

    private ObjectNode versionNode(String subject, int version, int id) {
        return JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schemaType", "AVRO").put("schema", byId.get(id).toString());
    }

    private List<Integer> subjectVersions(String subject) {
        List<Integer> vs = versions.get(subject);
        if (vs == null || vs.isEmpty()) {
            throw new ApiError(404, 40401, "Subject '" + subject + "' not found.");
        }
        return vs;
    }

    private String levelOf(String subject) {
        return compatibility.getOrDefault(subject, globalCompatibility);
    }

    /** Null when {@code candidate} may follow the subject's versions under its level; else why not. */
    private String incompatibility(String subject, Schema candidate) {
        List<Map.Entry<Integer, Schema>> history = new ArrayList<>();
        for (int id : versions.getOrDefault(subject, List.of())) {
            history.add(Map.entry(id, byId.get(id)));
        }
        return Compatibility.problem(levelOf(subject), candidate, history);
    }

    private static Schema parse(JsonNode body) {
        if (body == null || !body.hasNonNull("schema")) {
            throw new ApiError(422, 42201, "Request body must carry a \"schema\" string");
        }
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new ApiError(422, 42201, "Only AVRO schemas are supported here, not " + type);
        }
        try {
            return new Schema.Parser().parse(body.get("schema").asText());
        } catch (SchemaParseException e) {
            throw new ApiError(422, 42201, "Invalid schema: " + e.getMessage());
        }
    }

    private static int parseInt(String s, int code, String what) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ApiError(422, code, "Invalid " + what + " " + s);
        }
    }

    private void load() {
        if (stateFile == null || !Files.exists(stateFile)) {
            return;
        }
        try {
            JsonNode root = JSON.readTree(stateFile.toFile());
            root.path("schemas").fields().forEachRemaining(e ->
                    byId.put(Integer.parseInt(e.getKey()), new Schema.Parser().parse(e.getValue().asText())));
            root.path("subjects").fields().forEachRemaining(e -> {
                List<Integer> ids = new ArrayList<>();
                e.getValue().forEach(n -> ids.add(n.asInt()));
                versions.put(e.getKey(), ids);
            });
            root.path("compatibility").fields().forEachRemaining(e -> compatibility.put(e.getKey(), e.getValue().asText()));
            globalCompatibility = root.path("globalCompatibility").asText("BACKWARD");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema registry state " + stateFile, e);
        }
    }

    private void save() {
        if (stateFile == null) {
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        ObjectNode schemas = root.putObject("schemas");
        byId.forEach((id, s) -> schemas.put(String.valueOf(id), s.toString()));
        ObjectNode subjects = root.putObject("subjects");
        versions.forEach((s, ids) -> {
            ArrayNode a = subjects.putArray(s);
            ids.forEach(a::add);
        });
        ObjectNode comp = root.putObject("compatibility");
        compatibility.forEach(comp::put);
        root.put("globalCompatibility", globalCompatibility);
        try {
            Files.createDirectories(stateFile.getParent());
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), root);
            // Atomic: a crash mid-write never leaves a half-written registry.
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write schema registry state " + stateFile, e);
        }
    }

    private static String[] splitPath(String raw) {
        List<String> parts = new ArrayList<>();
        for (String s : raw.split("/")) {
            if (!s.isEmpty()) {
                parts.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        return parts.toArray(String[]::new);
    }

    private static JsonNode readBody(HttpExchange ex) throws IOException {
        byte[] b = ex.getRequestBody().readAllBytes();
        if (b.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(b);
        } catch (IOException e) {
            throw new ApiError(422, 42201, "Request body is not JSON");
        }
    }

    private static void respond(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static final class ApiError extends RuntimeException {
        final int status;
        final int code;

        ApiError(int status, int code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }
}
