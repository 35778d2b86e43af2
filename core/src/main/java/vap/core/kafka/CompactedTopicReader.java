package vap.core.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.serde.AvroCodec;
import vap.core.serde.WireFormatException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Reads a whole compacted topic (gallery, feedback) into one process and follows it: every partition assigned, no
 * consumer group, from the beginning or from offsets the caller stored, on a daemon thread, until closed. Each
 * poll's records are decoded, converted to what the caller keeps ({@code T}) and handed over as keyed entries (a
 * null value is a tombstone); a record without a key, whose bytes or content are unusable, or whose value names
 * another key is skipped and logged. Callers wait for {@link #awaitCaughtUp}: the topic read up to where it stood
 * at start.
 */
public final class CompactedTopicReader<V extends SpecificRecord, T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CompactedTopicReader.class);

    /**
     * How the topic's records read: their Avro codec, the id a value must be keyed by, and what the caller keeps
     * of a value (may throw IllegalArgumentException for content it cannot use: the record is skipped).
     */
    public record Format<V extends SpecificRecord, T>(AvroCodec<V> codec, Function<V, String> keyOf,
                                                      Function<V, T> convert) {
    }

    /** One record: its key and converted value, or a null value for a tombstone. */
    public record Entry<T>(String key, T value) {
        public boolean tombstone() {
            return value == null;
        }
    }

    /**
     * One poll: its usable entries, how many records it returned (skipped ones included), and the next offset per
     * partition after them.
     */
    public record Poll<T>(List<Entry<T>> entries, int records, Map<Integer, Long> positions) {
    }

    /** What the reader's thread calls; an exception stops the reader ({@link #failure()}). */
    public interface Listener<T> {
        /** After every poll, also an empty one. */
        void read(Poll<T> poll);

        /** Once, when the topic has been read up to where it stood at start. */
        default void caughtUp() {
        }
    }

    private final String what;
    private final String topic;
    private final Format<V, T> format;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private Map<TopicPartition, Long> startEnd;
    private Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private volatile long skipped; // written by the reader thread only

    /**
     * Assigns every partition of {@code topic}; refuses a topic that does not exist (it must be created compacted,
     * never auto-created). Nothing is read before {@link #start}.
     *
     * @param what       what the topic holds, for messages ("gallery", "feedback")
     * @param createHint how to create the topic, for the message when it is missing
     */
    public CompactedTopicReader(KafkaSettings kafka, String topic, String what, Format<V, T> format, String clientId,
                                String createHint) {
        this.what = what;
        this.topic = topic;
        this.format = format;
        this.consumer = new KafkaConsumer<>(props(kafka, clientId));
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalStateException(what + " topic " + topic + " does not exist on " + kafka.bootstrapServers()
                    + "; " + createHint);
        }
        infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        consumer.assign(partitions);
    }

    /** True when the topic exists. */
    public static boolean exists(KafkaSettings kafka, String topic, String clientId) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props(kafka, clientId))) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
            return infos != null && !infos.isEmpty();
        }
    }

    private static Map<String, Object> props(KafkaSettings kafka, String clientId) {
        Map<String, Object> props = kafka.consumerProps("unused", clientId);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions: every reader reads all of the topic
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // it must be created compacted
        return props;
    }

    /** Starts reading on a daemon thread named {@code threadName}: per partition from {@code from}, else the beginning. */
    public void start(Map<Integer, Long> from, String threadName, Listener<T> listener) {
        for (TopicPartition tp : partitions) {
            Long offset = from.get(tp.partition());
            if (offset != null) {
                consumer.seek(tp, offset);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
        startEnd = consumer.endOffsets(partitions);
        thread = new Thread(() -> run(listener), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Blocks until the topic has been read up to where it stood at start. */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException, TimeoutException {
        if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            RuntimeException f = failure;
            throw new TimeoutException(what + " topic " + topic + " not caught up after " + timeout
                    + (f == null ? "" : ": " + f.getMessage()));
        }
    }

    /** Records that could not be used and were skipped (logged with their offsets). */
    public long skipped() {
        return skipped;
    }

    /** What stopped the reader, or null while it runs or after a clean close. */
    public RuntimeException failure() {
        return failure;
    }

    private void run(Listener<T> listener) {
        try {
            Map<Integer, Long> positions = new HashMap<>();
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                List<Entry<T>> entries = entries(records);
                for (TopicPartition tp : partitions) {
                    positions.put(tp.partition(), consumer.position(tp));
                }
                listener.read(new Poll<>(entries, records.count(), Map.copyOf(positions)));
                if (caughtUp.getCount() > 0 && startEnd.entrySet().stream()
                        .allMatch(e -> positions.getOrDefault(e.getKey().partition(), 0L) >= e.getValue())) {
                    listener.caughtUp();
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            failure = e;
            log.error("{} reader on {} stopped: {}", what, topic, e.toString(), e);
        }
    }

    private List<Entry<T>> entries(ConsumerRecords<String, byte[]> records) {
        List<Entry<T>> entries = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.key() == null) {
                skip(r, "no key (the " + what + " topic is keyed by id)");
            } else if (r.value() == null) {
                entries.add(new Entry<>(r.key(), null));
            } else {
                try {
                    V value = format.codec().decode(r.topic(), r.value());
                    String id = format.keyOf().apply(value);
                    if (!id.equals(r.key())) {
                        skip(r, "key " + r.key() + " differs from the record's id " + id);
                        continue;
                    }
                    entries.add(new Entry<>(r.key(), format.convert().apply(value)));
                } catch (WireFormatException | IllegalArgumentException e) {
                    skip(r, e.getMessage());
                }
            }
        }
        return entries;
    }

    private void skip(ConsumerRecord<String, byte[]> r, String why) {
        skipped++;
        log.warn("{} record {}[{}]@{} skipped: {}", what, r.topic(), r.partition(), r.offset(), why);
    }

    /** Stops the thread and closes the consumer. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            if (thread != null) {
                thread.join(30_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
