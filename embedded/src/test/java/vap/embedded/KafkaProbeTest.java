package vap.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.kafka.KafkaSettings;
import vap.core.observe.ConnectionProbe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker probe every service's /health carries (ServiceRunner): DOWN once the broker is gone. */
class KafkaProbeTest {
    @TempDir
    Path dir;

    @Test
    void healthReportsALostBroker() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        boolean stopped = false;
        try (ConnectionProbe probe = ConnectionProbe.kafka(KafkaSettings.of(kafka.bootstrapServers(), "http://127.0.0.1:1"),
                Duration.ofSeconds(1), Duration.ofSeconds(3))) {
            await(() -> probe.health().up() && probe.health().detail().contains("reachable"), "up: " + probe.health());
            kafka.close();
            stopped = true;
            await(() -> !probe.health().up(), "down once the broker is gone");
            System.out.println("broker stopped: " + probe.health());
            assertTrue(probe.health().detail().startsWith("kafka unreachable for"), probe.health().detail());
        } finally {
            if (!stopped) {
                kafka.close();
            }
        }
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(200);
        }
    }
}
