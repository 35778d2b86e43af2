package vap.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.embedded.EmbeddedKafka;
import vap.embedded.SchemaRegistryServer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13, item 4 through the command line: `vap ingest`, `vap detector`, `vap recognizer` and `vap sinks` each
 * refuse to start (exit 1) against a broker without their topics, naming the topics and saying to run `vap topics`;
 * after `vap topics` a service starts and stops cleanly.
 */
class ServiceTopicCheckTest {
    @TempDir
    Path dir;

    @Test
    void everyServiceRefusesToStartWithoutItsTopicsAndSaysToRunVapTopics() throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            List<String> common = List.of("--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", registry.url(),
                    "-D", "sinks.jdbc.url=jdbc:postgresql://127.0.0.1:1/none", "-D", "topics.partitions=2");
            Map<String, List<String>> services = Map.of(
                    "ingest", List.of("vap.frames"),
                    "detector", List.of("vap.frames", "vap.faces", "vap.frames.dlq"),
                    "recognizer", List.of("vap.faces", "vap.gallery", "vap.sightings", "vap.matches", "vap.appearances",
                            "vap.faces.dlq"),
                    "sinks", List.of("vap.sightings", "vap.matches", "vap.alerts", "vap.appearances", "vap.alerts.dlq"));
            for (var e : services.entrySet()) {
                List<String> args = new ArrayList<>(List.of(e.getKey()));
                args.addAll(common);
                if (e.getKey().equals("ingest")) {
                    args.addAll(List.of("--camera", "lobby=rtsp://127.0.0.1:1/none", "--run-for", "3s"));
                }
                Run run = run(args);
                assertEquals(1, run.code(), e.getKey() + ": " + run.err());
                assertTrue(run.err().contains(e.getKey() + " refuses to start"), run.err());
                for (String topic : e.getValue()) {
                    assertTrue(run.err().contains("topic " + topic + " does not exist"), e.getKey() + " names " + topic
                            + ": " + run.err());
                }
                assertTrue(run.err().contains("Run `vap topics`"), run.err());
            }
            System.out.println("refused, each with its topics named: " + services.keySet());

            List<String> topics = new ArrayList<>(List.of("topics"));
            topics.addAll(common);
            assertEquals(0, run(topics).code());
            List<String> ingest = new ArrayList<>(List.of("ingest"));
            ingest.addAll(common);
            ingest.addAll(List.of("--camera", "lobby=rtsp://127.0.0.1:1/none", "--run-for", "2s"));
            Run started = run(ingest);
            assertEquals(0, started.code(), started.err()); // a camera that cannot connect is retried, not a failed start
            assertTrue(started.err().contains("ingest running") && !started.err().contains("refuses"), started.err());
        }
    }

    record Run(int code, String err) {
    }

    private static Run run(List<String> args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Vap.commandLine().execute(args.toArray(String[]::new));
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }
}
