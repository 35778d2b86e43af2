package vap.ingest.publish;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.serde.AvroCodec;
import vap.ingest.camera.Redactor;
import vap.ingest.health.CameraHealth;
import vap.ingest.health.CameraHealth.DropReason;
import vap.messages.Frame;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands frames to Kafka without ever blocking a camera. Each camera may have at most {@code maxInFlight}
 * frames not yet acknowledged; when Kafka is slower than the cameras the next frame is dropped and counted
 * ({@code backpressure}), never queued without bound. The queue to the send thread therefore holds at most
 * cameras x maxInFlight frames.
 *
 * <p>Sending happens on one thread of its own because {@code KafkaProducer.send} can block (waiting for
 * metadata while the cluster is unreachable, or for buffer memory); a camera thread that blocked would let
 * its RTSP socket overflow. One thread keeps each camera's frames in order; the idempotent producer keeps
 * them in order and unduplicated through retries.
 */
public final class FramePublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FramePublisher.class);
    /** Record and batch headers around the key and value (Kafka's v2 format needs well under this). */
    static final int RECORD_OVERHEAD = 1024;

    private record Pending(CameraHealth camera, ProducerRecord<String, byte[]> record, int jpegBytes, Frame frame,
                           AtomicInteger inFlight) {
    }

    private final Producer<String, byte[]> producer;
    private final AvroCodec<Frame> codec;
    private final String topic;
    private final int maxRecordBytes;
    private final int maxInFlight;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread sender;
    private volatile boolean closing;
    private volatile long lastFailureLogNanos;
    private volatile String lastSendError;

    /**
     * @param maxRecordBytes largest record value + key allowed (the producer's max.request.size or the topic's
     *                       max.message.bytes, whichever is smaller)
     * @param maxInFlight    frames per camera sent but not yet acknowledged
     */
    public FramePublisher(Producer<String, byte[]> producer, AvroCodec<Frame> codec, String topic, int maxRecordBytes,
                          int maxInFlight) {
        this.producer = producer;
        this.codec = codec;
        this.topic = topic;
        this.maxRecordBytes = maxRecordBytes;
        this.maxInFlight = maxInFlight;
        this.sender = new Thread(this::sendLoop, "ingest-publisher");
        sender.setDaemon(true);
        sender.start();
    }

    public String topic() {
        return topic;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** Whether the camera may publish one more frame now; asked before spending CPU on the JPEG. */
    public boolean hasCapacity(String cameraId) {
        return !closing && counter(cameraId).get() < maxInFlight;
    }

    /**
     * Encodes and queues {@code frame}; the camera's counters record the outcome (published on
     * acknowledgement, or dropped with a reason).
     *
     * @throws FrameTooLargeException if the record would exceed {@code maxRecordBytes} (also counted as a drop)
     */
    public void publish(CameraHealth camera, Frame frame, int quality) {
        String id = camera.cameraId();
        AtomicInteger n = counter(id);
        if (closing || n.get() >= maxInFlight) {
            camera.dropped(DropReason.BACKPRESSURE);
            return;
        }
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        byte[] value = codec.encode(topic, frame);
        int size = key.length + value.length + RECORD_OVERHEAD;
        if (size > maxRecordBytes) {
            camera.dropped(DropReason.TOO_LARGE);
            FrameTooLargeException e = new FrameTooLargeException(id, size, maxRecordBytes, frame.getWidth(),
                    frame.getHeight(), quality);
            camera.problem(e.getMessage());
            throw e;
        }
        n.incrementAndGet();
        queue.add(new Pending(camera, new ProducerRecord<>(topic, id, value), frame.getJpeg().remaining(), frame, n));
    }

    /** Frames queued or in flight for {@code cameraId}. */
    public int inFlight(String cameraId) {
        return counter(cameraId).get();
    }

    /** The last error Kafka gave for a frame (redacted), or null. */
    public String lastSendError() {
        return lastSendError;
    }

    private AtomicInteger counter(String cameraId) {
        return inFlight.computeIfAbsent(cameraId, k -> new AtomicInteger());
    }

    private void sendLoop() {
        while (!closing || !queue.isEmpty()) {
            Pending p;
            try {
                p = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (p == null) {
                continue;
            }
            try {
                producer.send(p.record(), (meta, error) -> acknowledged(p, error));
            } catch (RuntimeException e) {
                // Producer closed or misconfigured: the frame is lost, and said so.
                acknowledged(p, e);
            }
        }
    }

    private void acknowledged(Pending p, Exception error) {
        p.inFlight().decrementAndGet();
        if (error == null) {
            p.camera().published(p.jpegBytes(), p.frame().getCaptureTimestamp());
            return;
        }
        p.camera().dropped(DropReason.SEND_FAILED);
        String why = error instanceof RecordTooLargeException
                ? "Kafka refused a frame of " + p.record().value().length + " bytes as too large: raise the frames "
                + "topic's max.message.bytes (or the broker's message.max.bytes)"
                : "Kafka did not accept a frame: " + Redactor.urlsOnly().redact(String.valueOf(error.getMessage()));
        lastSendError = why;
        p.camera().problem(why);
        long now = System.nanoTime();
        // One line per 10 s at most: a Kafka outage fails every frame of every camera.
        if (now - lastFailureLogNanos > 10_000_000_000L) {
            lastFailureLogNanos = now;
            log.warn("camera {}: {} (further failures counted in vap.ingest.frames.dropped{{reason=send_failed}})",
                    p.camera().cameraId(), why);
        }
    }

    /** Sends what is queued, waits up to {@code timeout} for acknowledgements, and closes the producer. */
    public void close(Duration timeout) {
        closing = true;
        try {
            sender.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
