package vap.core.registry;

import org.apache.avro.Schema;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schema registry inside this process, with the HTTP registry's rules: global ids shared across subjects,
 * idempotent registration, per-subject compatibility (BACKWARD by default) and Confluent's error codes. For
 * unit tests that need the wire format but no network (a TopologyTestDriver test); integration tests use
 * {@link SchemaRegistryClient} against a real registry over HTTP.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private final Map<Integer, Schema> byId = new LinkedHashMap<>();
    private final Map<String, List<Integer>> versions = new LinkedHashMap<>(); // subject -> ids by version-1
    private final Map<String, String> compatibility = new LinkedHashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> ids = versions.getOrDefault(subject, List.of());
        for (int id : ids) {
            if (byId.get(id).equals(schema)) {
                return id;
            }
        }
        String problem = Compatibility.problem(levelOf(subject), schema, history(ids));
        if (problem != null) {
            throw new SchemaRegistryException("schema registry refused to register schema under " + subject
                    + ": incompatible (" + levelOf(subject) + "): " + problem, 409, 409, null);
        }
        int id = byId.entrySet().stream().filter(e -> e.getValue().equals(schema)).map(Map.Entry::getKey)
                .findFirst().orElse(byId.size() + 1);
        byId.putIfAbsent(id, schema);
        versions.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        for (int id : subjectIds(subject)) {
            if (byId.get(id).equals(schema)) {
                return id;
            }
        }
        throw new SchemaRegistryException("schema not found under subject " + subject, 404, 40403, null);
    }

    @Override
    public synchronized Schema byId(int id) {
        Schema s = byId.get(id);
        if (s == null) {
            throw new SchemaRegistryException("schema " + id + " not found", 404, 40403, null);
        }
        return s;
    }

    @Override
    public synchronized SchemaVersion latest(String subject) {
        List<Integer> ids = subjectIds(subject);
        int id = ids.get(ids.size() - 1);
        return new SchemaVersion(subject, ids.size(), id, byId.get(id));
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return Compatibility.problem(levelOf(subject), schema, history(versions.getOrDefault(subject, List.of()))) == null;
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(versions.keySet());
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        if (!Compatibility.LEVELS.contains(level)) {
            throw new SchemaRegistryException("invalid compatibility level " + level + "; one of "
                    + Compatibility.LEVELS, 422, 42203, null);
        }
        compatibility.put(subject, level);
    }

    private String levelOf(String subject) {
        return compatibility.getOrDefault(subject, Compatibility.DEFAULT);
    }

    private List<Integer> subjectIds(String subject) {
        List<Integer> ids = versions.get(subject);
        if (ids == null || ids.isEmpty()) {
            throw new SchemaRegistryException("subject '" + subject + "' not found", 404, 40401, null);
        }
        return ids;
    }

    private List<Map.Entry<Integer, Schema>> history(List<Integer> ids) {
        return ids.stream().<Map.Entry<Integer, Schema>>map(id -> new AbstractMap.SimpleImmutableEntry<>(id, byId.get(id)))
                .toList();
    }
}
