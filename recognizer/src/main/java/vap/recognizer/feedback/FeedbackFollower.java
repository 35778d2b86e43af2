package vap.recognizer.feedback;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.core.serde.WireFormatException;
import vap.messages.Feedback;
import vap.recognizer.watchlist.Watchlist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Feeds the compacted feedback topic into one replica's watchlist as negative feedback. Like the gallery, every
 * replica reads every partition itself (assign, no consumer group) from the beginning, so each holds all of it and
 * a tombstone withdraws a correction everywhere. No snapshot: feedback is small and re-read at each start.
 */
public final class FeedbackFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FeedbackFollower.class);

    private final String topic;
    private final AvroCodec<Feedback> codec;
    private final Watchlist watchlist;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<TopicPartition, Long> startEnd;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private volatile long skipped; // written by the follower thread only

    public FeedbackFollower(Watchlist watchlist, KafkaSettings kafka, String feedbackTopic, AvroCodec<Feedback> codec,
                            String clientId) {
        this.watchlist = watchlist;
        this.topic = feedbackTopic;
        this.codec = codec;
        Map<String, Object> props = kafka.consumerProps("unused", clientId);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, always read from the beginning
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // it must be created compacted
        this.consumer = new KafkaConsumer<>(props);
        List<PartitionInfo> infos = consumer.partitionsFor(feedbackTopic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("feedback topic " + feedbackTopic + " does not exist on "
                    + kafka.bootstrapServers() + "; create it compacted (vap topics, or the launcher at start)");
        }
        infos.forEach(i -> partitions.add(new TopicPartition(feedbackTopic, i.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.startEnd = consumer.endOffsets(partitions);
        this.thread = new Thread(this::run, "feedback-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /** True when the topic exists (a recognizer runs without feedback on a cluster set up before it existed). */
    public static boolean topicExists(KafkaSettings kafka, String feedbackTopic) {
        Map<String, Object> props = kafka.consumerProps("unused", "vap-feedback-probe-" + Long.toHexString(System.nanoTime()));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
            List<PartitionInfo> infos = c.partitionsFor(feedbackTopic, Duration.ofSeconds(30));
            return infos != null && !infos.isEmpty();
        }
    }

    /** Blocks until the topic has been read up to where it stood at start. */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException, TimeoutException {
        if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            RuntimeException f = failure;
            throw new TimeoutException("feedback topic " + topic + " not caught up after " + timeout
                    + (f == null ? "" : ": " + f.getMessage()));
        }
    }

    /** Records that could not be decoded and were skipped (logged with their offsets). */
    public long skipped() {
        return skipped;
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    watchlist.applyFeedback(changes(records));
                }
                if (caughtUp.getCount() > 0 && startEnd.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    log.info("feedback: caught up with {} ({} corrections)", topic, watchlist.feedbackCount(null));
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            failure = e;
            log.error("feedback follower on {} stopped: {}", topic, e.toString(), e);
        }
    }

    private List<Watchlist.Feedback> changes(ConsumerRecords<String, byte[]> records) {
        List<Watchlist.Feedback> changes = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.key() == null) {
                skip(r, "no key (feedback is keyed by feedback id)");
            } else if (r.value() == null) {
                changes.add(Watchlist.Feedback.withdrawn(r.key()));
            } else {
                try {
                    Feedback f = codec.decode(r.topic(), r.value());
                    if (!f.getFeedbackId().equals(r.key())) {
                        skip(r, "key " + r.key() + " differs from feedbackId " + f.getFeedbackId());
                        continue;
                    }
                    changes.add(Watchlist.Feedback.given(f.getFeedbackId(), f.getIdentityId(), FeedbackRecords.vector(f)));
                } catch (WireFormatException | IllegalArgumentException e) {
                    skip(r, e.getMessage());
                }
            }
        }
        return changes;
    }

    private void skip(ConsumerRecord<String, byte[]> r, String why) {
        skipped++;
        log.warn("feedback record {}[{}]@{} skipped: {}", r.topic(), r.partition(), r.offset(), why);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
