package vap.core.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.core.observe.ServiceEndpoint;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceRunnerTest {
    private static final Settings LOCAL = Settings.of(Map.of("probe.http.bind", "127.0.0.1"));

    /** A service that counts its reports and closes, with a chosen exit code. */
    private static final class Counting implements Service {
        final AtomicInteger reports = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final int exitCode;

        Counting(int exitCode) {
            this.exitCode = exitCode;
        }

        @Override
        public ServiceEndpoint.Health health() {
            return ServiceEndpoint.Health.up("reports " + reports.get());
        }

        @Override
        public String report() {
            return "report " + reports.incrementAndGet() + "\n";
        }

        @Override
        public int exitCode() {
            return exitCode;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void sigtermClosesTheServiceInsideTheShutdownHook(@TempDir Path dir) throws Exception {
        // 1. Start a JVM running a service whose close takes a second; wait until it runs.
        Path marker = dir.resolve("closed");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RunnerProbe.class.getName(), marker.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("probe running")) {
                seen.append(line).append('\n');
            }
            assertTrue(line != null, "the probe never ran:\n" + seen);
            // 2. SIGTERM, as Ctrl-C or a pod's stop would send.
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the probe did not exit");
            // 3. The JVM halts when the hooks return: the slow close finished only if the hook itself ran it.
            assertTrue(Files.exists(marker), "close() did not finish before the JVM halted");
            assertEquals("closed by probe-shutdown", Files.readString(marker));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void runForStopsCleanlyWithTheServicesExitCodeAfterReporting() throws Exception {
        for (int code : new int[] {0, 1}) {
            Counting service = new Counting(code);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = new ServiceRunner("probe", new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream()))
                    .runFor(Duration.ofMillis(400)).statusEvery(Duration.ofMillis(100))
                    .run(LOCAL, (s, m) -> service);
            assertEquals(code, exit);
            assertEquals(1, service.closes.get());
            // Periodic reports, and one more on stop: the last printed is the last made.
            assertTrue(service.reports.get() >= 2, "reports: " + service.reports.get());
            assertTrue(out.toString().endsWith("report " + service.reports.get() + "\n"), out.toString());
        }
    }

    @Test
    void startFailuresExitNonZeroWithTheirMessage() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ServiceRunner runner = new ServiceRunner("probe", System.out, new PrintStream(err, true));
        assertEquals(ServiceRunner.START_FAILED, runner.run(LOCAL, (s, m) -> {
            throw new IllegalStateException("Kafka at k:9092 is unreachable");
        }));
        assertTrue(err.toString().contains("probe failed to start: Kafka at k:9092 is unreachable"), err.toString());
        assertEquals(ServiceRunner.CONFIG_ERROR, runner.run(LOCAL, (s, m) -> {
            throw new ConfigException("probe.batch.size must be at least 1, got 0");
        }));
        assertTrue(err.toString().contains("probe failed to start: probe.batch.size must be at least 1"), err.toString());
        assertEquals(ServiceRunner.CONFIG_ERROR, runner.run(LOCAL.with("probe.http.port", "eighty"), (s, m) -> new Counting(0)));
    }

    @Test
    void servesHealthAndMetricsTaggedWithTheServiceName() throws Exception {
        Counting service = new Counting(0);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
            try {
                return new ServiceRunner("probe", new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true))
                        .runFor(Duration.ofSeconds(20)).run(LOCAL, (s, m) -> {
                            m.counter("probe.started").increment();
                            return service;
                        });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Matcher port = Pattern.compile("on port (\\d+)").matcher("");
        long deadline = System.currentTimeMillis() + 10_000;
        while (!port.reset(err.toString()).find() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(port.reset(err.toString()).find(), err.toString());
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port.group(1);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"probe\":{\"status\":\"UP\""), health.body());
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("probe_started_total{application=\"vap-probe\"} 1.0"), metrics);
        assertEquals(0, service.closes.get());
        run.cancel(true);
    }
}
