package vap.launcher;

import org.apache.kafka.clients.admin.Admin;
import vap.core.registry.SchemaRegistryClient;
import vap.embedded.EmbeddedStack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Asks each part of the embedded stack a real question over its real protocol. */
final class StackHealth {
    record Report(Map<String, String> parts, boolean healthy) {
        String describe() {
            StringBuilder sb = new StringBuilder(healthy ? "embedded stack healthy:" : "embedded stack UNHEALTHY:");
            parts.forEach((k, v) -> sb.append("\n  ").append(k).append(": ").append(v));
            return sb.toString();
        }
    }

    private StackHealth() {
    }

    static Report check(EmbeddedStack stack) {
        Map<String, String> parts = new LinkedHashMap<>();
        boolean ok = true;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafka().bootstrapServers()))) {
            var cluster = admin.describeCluster();
            int nodes = cluster.nodes().get(10, TimeUnit.SECONDS).size();
            int topics = admin.listTopics().names().get(10, TimeUnit.SECONDS).size();
            parts.put("kafka", "UP (" + nodes + " node, cluster " + cluster.clusterId().get(10, TimeUnit.SECONDS)
                    + ", " + topics + " topics)");
        } catch (Exception e) {
            ok = false;
            parts.put("kafka", "DOWN: " + e.getMessage());
        }
        try {
            int subjects = new SchemaRegistryClient(stack.registry().url()).subjects().size();
            parts.put("schema registry", "UP (" + subjects + " subjects)");
        } catch (RuntimeException e) {
            ok = false;
            parts.put("schema registry", "DOWN: " + e.getMessage());
        }
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), "postgres", "postgres");
             ResultSet rs = c.createStatement().executeQuery("select version()")) {
            rs.next();
            parts.put("postgresql", "UP (" + rs.getString(1).split(",")[0] + ")");
        } catch (Exception e) {
            ok = false;
            parts.put("postgresql", "DOWN: " + e.getMessage());
        }
        return new Report(parts, ok);
    }
}
