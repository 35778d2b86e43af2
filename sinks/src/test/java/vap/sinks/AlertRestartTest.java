package vap.sinks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.embedded.EmbeddedKafka;
import vap.embedded.SchemaRegistryServer;
import vap.messages.Alert;
import vap.messages.Match;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The alert stream on a real broker, exactly-once, with its suppression state surviving a restart. */
class AlertRestartTest {
    @TempDir
    Path dir;

    @Test
    void suppressionSurvivesARestart() throws Exception {
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(0);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), registry.url());
            Topics topics = Topics.defaults();
            TopicAdmin.ensureTopics(ks, topics, 2, (short) 1);
            SinksConfig config = SinksConfig.from(Settings.of(Map.of("sinks.jdbc.url", "jdbc:postgresql://unused/x",
                    "sinks.alerts.state.dir", dir.resolve("streams").toString(), "sinks.only", "alerts")));
            var codec = new AvroCodec<>(ks.registryClient(), Match.class);
            try (var producer = new KafkaProducer<>(ks.common(), new StringSerializer(), new ByteArraySerializer())) {
                // Step 1: ada appears; one alert.
                try (SinksService alerts = SinksService.start(config, ks, new SimpleMeterRegistry())) {
                    send(producer, codec, topics, Samples.match("ada", "lobby", 1, 0));
                    send(producer, codec, topics, Samples.match("ada", "lobby", 2, 1));
                    assertEquals(List.of("ada/lobby/1"), alertIds(ks, topics, 1));
                }
                // Step 2: restarted, it still remembers ada is in view: her next frames raise nothing ...
                try (SinksService alerts = SinksService.start(config, ks, new SimpleMeterRegistry())) {
                    send(producer, codec, topics, Samples.match("ada", "lobby", 3, 5));
                    // ... while a new appearance after the window does.
                    send(producer, codec, topics, Samples.match("ada", "lobby", 4, 100));
                    assertEquals(List.of("ada/lobby/1", "ada/lobby/4"), alertIds(ks, topics, 2));
                }
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> p, AvroCodec<Match> codec, Topics topics, Match m) throws Exception {
        p.send(new ProducerRecord<>(topics.matches(), m.getIdentityId(), codec.encode(topics.matches(), m))).get();
    }

    private static List<String> alertIds(KafkaSettings ks, Topics topics, int expected) {
        var codec = new AvroCodec<>(ks.registryClient(), Alert.class);
        Map<String, Object> props = new java.util.HashMap<>(ks.common());
        props.put("isolation.level", "read_committed"); // only alerts of committed transactions count
        try (var c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topics.alerts()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            List<String> ids = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 60_000;
            long quietUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, quietUntil)) {
                c.poll(Duration.ofMillis(200)).forEach(r -> ids.add(codec.decode(r.topic(), r.value()).getAlertId()));
                if (ids.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.currentTimeMillis() + 3000; // wait a little for any extra alert
                }
            }
            return ids;
        }
    }
}
