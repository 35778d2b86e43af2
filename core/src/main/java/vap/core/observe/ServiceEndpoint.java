package vap.core.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Every service's HTTP side door: {@code GET /metrics} (Prometheus text format) and {@code GET /health}
 * (JSON, 200 when every registered check is up, 503 otherwise). Port 0 picks a free port.
 */
public final class ServiceEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceEndpoint.class);

    /** One health check's answer. */
    public record Health(boolean up, String detail) {
        public static Health up(String detail) {
            return new Health(true, detail);
        }

        public static Health down(String detail) {
            return new Health(false, detail);
        }
    }

    private final PrometheusMeterRegistry registry;
    private final Map<String, Supplier<Health>> checks = new ConcurrentHashMap<>();
    private final HttpServer server;

    private ServiceEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    public static PrometheusMeterRegistry newRegistry(String application) {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        r.config().commonTags("application", application);
        new JvmMemoryMetrics().bindTo(r);
        new JvmGcMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        return r;
    }

    public static ServiceEndpoint start(String bindAddress, int port, PrometheusMeterRegistry registry) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
            ServiceEndpoint e = new ServiceEndpoint(registry, server);
            server.createContext("/metrics", e::metrics);
            server.createContext("/health", e::health);
            server.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "service-endpoint");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            log.info("metrics on http://{}:{}/metrics, health on /health", bindAddress, e.port());
            return e;
        } catch (IOException ex) {
            throw new IllegalStateException("cannot listen on " + bindAddress + ":" + port + " for metrics/health: "
                    + ex.getMessage(), ex);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void addCheck(String name, Supplier<Health> check) {
        checks.put(name, check);
    }

    /** Evaluates every check now. */
    public Map<String, Health> health() {
        Map<String, Health> out = new LinkedHashMap<>();
        checks.forEach((name, c) -> {
            try {
                out.put(name, c.get());
            } catch (RuntimeException ex) {
                out.put(name, Health.down(ex.toString()));
            }
        });
        return out;
    }

    private void metrics(HttpExchange ex) throws IOException {
        respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    private void health(HttpExchange ex) throws IOException {
        Map<String, Health> h = health();
        boolean up = h.values().stream().allMatch(Health::up);
        StringBuilder json = new StringBuilder("{\"status\":\"").append(up ? "UP" : "DOWN").append("\",\"checks\":{");
        int i = 0;
        for (var e : h.entrySet()) {
            if (i++ > 0) {
                json.append(',');
            }
            json.append('"').append(escape(e.getKey())).append("\":{\"status\":\"")
                    .append(e.getValue().up() ? "UP" : "DOWN").append("\",\"detail\":\"")
                    .append(escape(e.getValue().detail())).append("\"}");
        }
        json.append("}}");
        respond(ex, up ? 200 : 503, "application/json", json.toString());
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
