package vap.recognizer.watchlist;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.messages.GalleryEntry;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes enrolments and erasures to the gallery topic (key identityId; a null value erases). Each call returns
 * once Kafka has acknowledged the record: the recognizer replicas then pick it up from the topic.
 */
public final class GalleryPublisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final AvroCodec<GalleryEntry> codec;
    private final String topic;

    public GalleryPublisher(KafkaSettings kafka, String galleryTopic) {
        this.producer = new KafkaProducer<>(kafka.producerProps("vap-gallery-" + Long.toHexString(System.nanoTime())));
        this.codec = new AvroCodec<>(kafka.registryClient(), GalleryEntry.class);
        this.topic = galleryTopic;
    }

    public String topic() {
        return topic;
    }

    public void enrol(GalleryEntry entry) {
        send(entry.getIdentityId(), codec.encode(topic, entry));
    }

    /** A tombstone: every replica drops the identity, and compaction eventually removes its embeddings from Kafka. */
    public void erase(String identityId) {
        send(identityId, null);
    }

    private void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing identity " + key + " to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge identity " + key + " on " + topic + ": "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
