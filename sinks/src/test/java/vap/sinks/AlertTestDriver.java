package vap.sinks;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import vap.core.registry.InMemorySchemaRegistry;
import vap.core.registry.SchemaRegistry;
import vap.messages.Alert;
import vap.messages.Match;
import vap.sinks.alerts.AlertTopology;
import vap.sinks.alerts.AvroSerde;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The real alert topology in Kafka Streams' test driver, fresh for every test
 * ({@code @RegisterExtension final AlertTestDriver topology}): matches in on "m", alerts out on "a".
 */
final class AlertTestDriver implements BeforeEachCallback, AfterEachCallback {
    private final String applicationId;
    private final Duration window;
    private Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, Match> matches;
    private TestOutputTopic<String, Alert> alerts;

    AlertTestDriver(String applicationId, Duration window) {
        this.applicationId = applicationId;
        this.window = window;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        // The test's own state directory: a test run elsewhere on the machine with the same id cannot lock it.
        stateDir = Files.createTempDirectory(applicationId + "-");
        // The wire format needs a registry, not a network: the in-process one (integration tests use HTTP).
        SchemaRegistry registry = new InMemorySchemaRegistry();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(AlertTopology.build("m", "a", window, registry), p);
        matches = driver.createInputTopic("m", Serdes.String().serializer(),
                AvroSerde.of(registry, Match.class).serializer());
        alerts = driver.createOutputTopic("a", Serdes.String().deserializer(),
                AvroSerde.of(registry, Alert.class).deserializer());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    TopologyTestDriver driver() {
        return driver;
    }

    TestInputTopic<String, Match> matches() {
        return matches;
    }

    TestOutputTopic<String, Alert> alerts() {
        return alerts;
    }

    /** The ids of the alerts out since the last read. */
    List<String> alertIds() {
        return alerts.readValuesToList().stream().map(Alert::getAlertId).toList();
    }
}
