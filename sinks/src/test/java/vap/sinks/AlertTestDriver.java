package vap.sinks;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import vap.core.registry.InMemorySchemaRegistry;
import vap.core.registry.SchemaRegistry;
import vap.messages.Alert;
import vap.messages.Match;
import vap.sinks.alerts.AlertTopology;
import vap.sinks.alerts.AvroSerde;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/** The real alert topology in Kafka Streams' test driver: matches in on "m", alerts out on "a". */
final class AlertTestDriver implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<String, Match> matches;
    final TestOutputTopic<String, Alert> alerts;

    AlertTestDriver(Path stateDir, String applicationId, Duration window) {
        // The wire format needs a registry, not a network: the in-process one (integration tests use HTTP).
        SchemaRegistry registry = new InMemorySchemaRegistry();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(AlertTopology.build("m", "a", window, registry), p);
        matches = driver.createInputTopic("m", Serdes.String().serializer(), AvroSerde.of(registry, Match.class).serializer());
        alerts = driver.createOutputTopic("a", Serdes.String().deserializer(), AvroSerde.of(registry, Alert.class).deserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
