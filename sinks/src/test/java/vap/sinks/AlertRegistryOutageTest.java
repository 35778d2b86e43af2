package vap.sinks;

import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.registry.InMemorySchemaRegistry;
import vap.core.registry.SchemaRegistry;
import vap.core.registry.SchemaRegistryException;
import vap.messages.Alert;
import vap.messages.Match;
import vap.sinks.alerts.AlertTopology;
import vap.sinks.alerts.AvroSerde;
import vap.sinks.alerts.RegistryOutageHandler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A registry outage while the alert stream decodes a match is waited out: the alert is late, never lost. */
class AlertRegistryOutageTest {

    /** The real in-memory registry, unreachable while {@code down} (as an HTTP registry behind a dead network). */
    static final class Outage implements SchemaRegistry {
        final InMemorySchemaRegistry real = new InMemorySchemaRegistry();
        volatile boolean down;

        private void check() {
            if (down) {
                throw new SchemaRegistryException("schema registry unreachable (test outage)", 0, 0, null);
            }
        }

        @Override public int register(String subject, Schema schema) { check(); return real.register(subject, schema); }
        @Override public int lookup(String subject, Schema schema) { check(); return real.lookup(subject, schema); }
        @Override public Schema byId(int id) { check(); return real.byId(id); }
        @Override public SchemaVersion latest(String subject) { check(); return real.latest(subject); }
        @Override public boolean isCompatible(String subject, Schema schema) { check(); return real.isCompatible(subject, schema); }
        @Override public List<String> subjects() { check(); return real.subjects(); }
        @Override public void setCompatibility(String subject, String level) { check(); real.setCompatibility(subject, level); }
    }

    @Test
    void aMatchDecodedDuringAnOutageIsRetriedNotSkipped(@TempDir Path state) {
        Outage reader = new Outage();
        SchemaRegistry writer = reader.real; // the producer registered its schema before the outage
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "alerts-outage-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RegistryOutageHandler.class);
        try (TopologyTestDriver driver = new TopologyTestDriver(
                AlertTopology.build("m", "a", Duration.ofSeconds(30), reader), p)) {
            TestInputTopic<String, Match> matches = driver.createInputTopic("m", Serdes.String().serializer(),
                    AvroSerde.of(writer, Match.class).serializer());
            TestOutputTopic<String, Alert> alerts = driver.createOutputTopic("a", Serdes.String().deserializer(),
                    AvroSerde.of(writer, Alert.class).deserializer());

            // 1. The registry goes away; Ada's first match arrives: the stream thread fails instead of skipping it.
            reader.down = true;
            Match ada = Samples.match("ada", "lobby", 1, 0);
            assertThrows(StreamsException.class, () -> matches.pipeInput("ada", ada));
            assertTrue(alerts.isEmpty());

            // 2. The registry is back; the replaced thread re-reads the match from the committed offset: one alert.
            reader.down = false;
            matches.pipeInput("ada", ada);
            assertEquals(List.of("ada/lobby/1"), alerts.readValuesToList().stream().map(Alert::getAlertId).toList());
        }
    }
}
