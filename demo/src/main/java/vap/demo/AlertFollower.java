package vap.demo;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.messages.Alert;
import vap.sinks.alerts.AlertFormat;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Prints alerts on the terminal as they are published (what `vap alerts` does, inside the main job). */
public final class AlertFollower implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final AtomicInteger printed = new AtomicInteger();

    public AlertFollower(KafkaSettings kafka, String topic, PrintStream out) {
        Map<String, Object> p = new HashMap<>(kafka.common());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(pi -> new TopicPartition(topic, pi.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // fix the start now, before any alert of this run exists
        AvroCodec<Alert> codec = new AvroCodec<>(kafka.registryClient(), Alert.class, false);
        thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        out.println("\u001b[1;31m" + AlertFormat.human(codec.decode(r.topic(), r.value())) + "\u001b[0m");
                        printed.incrementAndGet();
                    });
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }, "alert-follower");
        thread.setDaemon(true);
        thread.start();
    }

    public int printed() {
        return printed.get();
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
