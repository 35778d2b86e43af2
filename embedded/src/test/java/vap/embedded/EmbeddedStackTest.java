package vap.embedded;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.registry.SchemaRegistryClient;
import vap.messages.FrameRef;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The stack starts, stops and starts again on the same work directory with its data intact. */
class EmbeddedStackTest {
    @Test
    void secondStartReusesTheData(@TempDir Path work) throws Exception {
        int schemaId;
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Config.defaults(work))) {
            stack.kafka().createTopic("kept", 1, false);
            try (var p = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", stack.kafka().bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                p.send(new ProducerRecord<>("kept", "k", "still here")).get();
            }
            try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), "postgres", "postgres")) {
                c.createStatement().execute("create table kept(v text); insert into kept values ('row')");
            }
            schemaId = new SchemaRegistryClient(stack.registry().url()).register("kept-value", FrameRef.getClassSchema());
        }
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Config.defaults(work))) {
            try (var c = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", stack.kafka().bootstrapServers()),
                    new StringDeserializer(), new StringDeserializer())) {
                assertEquals("still here", KafkaRoundTripTest.readAll(c, "kept", 1).get(0).value());
            }
            try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), "postgres", "postgres");
                 ResultSet rs = c.createStatement().executeQuery("select v from kept")) {
                rs.next();
                assertEquals("row", rs.getString(1));
            }
            assertEquals(FrameRef.getClassSchema(), new SchemaRegistryClient(stack.registry().url()).byId(schemaId));
        }
    }
}
