package vap.core.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

import java.util.List;
import java.util.Map;

/** The registry's compatibility levels, checked with Avro's own SchemaCompatibility (for the in-process registries). */
public final class Compatibility {
    public static final String DEFAULT = "BACKWARD";
    public static final List<String> LEVELS = List.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
            "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    private Compatibility() {
    }

    /**
     * Null when {@code candidate} may follow {@code existing} (global id to schema, oldest first) under
     * {@code level}; else why not.
     */
    public static String problem(String level, Schema candidate, List<Map.Entry<Integer, Schema>> existing) {
        if (existing.isEmpty() || level.equals("NONE")) {
            return null;
        }
        List<Map.Entry<Integer, Schema>> against = level.endsWith("_TRANSITIVE") ? existing
                : List.of(existing.get(existing.size() - 1));
        boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
        boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
        for (Map.Entry<Integer, Schema> e : against) {
            if (backward) {
                var c = SchemaCompatibility.checkReaderWriterCompatibility(candidate, e.getValue());
                if (c.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    return "new schema cannot read data written with id " + e.getKey() + ": "
                            + c.getResult().getIncompatibilities();
                }
            }
            if (forward) {
                var c = SchemaCompatibility.checkReaderWriterCompatibility(e.getValue(), candidate);
                if (c.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    return "schema id " + e.getKey() + " cannot read data written with the new schema: "
                            + c.getResult().getIncompatibilities();
                }
            }
        }
        return null;
    }
}
