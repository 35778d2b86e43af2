package vap.recognizer.feedback;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.messages.Feedback;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Writes corrections to the feedback topic (key feedbackId; a null value withdraws one), waiting for Kafka's ack. */
public final class FeedbackPublisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final AvroCodec<Feedback> codec;
    private final String topic;

    public FeedbackPublisher(KafkaSettings kafka, String feedbackTopic) {
        this.producer = new KafkaProducer<>(kafka.producerProps("vap-feedback-" + Long.toHexString(System.nanoTime())));
        this.codec = new AvroCodec<>(kafka.registryClient(), Feedback.class);
        this.topic = feedbackTopic;
    }

    public String topic() {
        return topic;
    }

    public void publish(Feedback feedback) {
        send(feedback.getFeedbackId(), codec.encode(topic, feedback));
    }

    public void withdraw(String feedbackId) {
        send(feedbackId, null);
    }

    private void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing feedback " + key + " to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge feedback " + key + " on " + topic + ": "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
