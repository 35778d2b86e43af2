package vap.console.alerts;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.core.serde.WireFormatException;
import vap.messages.Alert;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Follows the alert topic for the console: no consumer group (assigned every partition, so it takes no alert
 * from another consumer and leaves no group behind), read_committed because alerts are written in transactions.
 * On start it loads the last {@code recent} alerts of each partition, then hands every new one to the listeners
 * (the browsers' server-sent event streams).
 */
public final class AlertFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertFeed.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroCodec<Alert> codec;
    private final String topic;
    private final int recentLimit;
    private final Deque<LiveAlert> recent = new ArrayDeque<>();
    private final List<Consumer<LiveAlert>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean healthy = true;

    private AlertFeed(KafkaSettings kafka, String topic, int recentLimit) {
        this.consumer = new KafkaConsumer<>(kafka.readerProps("vap-console-alerts"));
        this.codec = new AvroCodec<>(kafka.registryClient(), Alert.class, false);
        this.topic = topic;
        this.recentLimit = recentLimit;
        this.thread = new Thread(this::run, "console-alert-feed");
        thread.setDaemon(true);
    }

    /** Assigns every partition of {@code topic} (waiting up to 30 s for it to exist) and starts following. */
    public static AlertFeed start(KafkaSettings kafka, String topic, int recentLimit) {
        AlertFeed f = new AlertFeed(kafka, topic, recentLimit);
        try {
            List<TopicPartition> parts = f.consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
            f.consumer.assign(parts);
            Map<TopicPartition, Long> ends = f.consumer.endOffsets(parts);
            Map<TopicPartition, Long> begins = f.consumer.beginningOffsets(parts);
            for (TopicPartition tp : parts) {
                f.consumer.seek(tp, Math.max(begins.get(tp), ends.get(tp) - recentLimit));
            }
        } catch (RuntimeException e) {
            f.consumer.close();
            throw new IllegalStateException("console: cannot follow the alert topic " + topic + ": " + e.getMessage(), e);
        }
        f.thread.start();
        return f;
    }

    public void subscribe(Consumer<LiveAlert> listener) {
        listeners.add(listener);
    }

    public void unsubscribe(Consumer<LiveAlert> listener) {
        listeners.remove(listener);
    }

    /** The latest alerts, newest first. */
    public synchronized List<LiveAlert> recent() {
        return new ArrayList<>(recent);
    }

    public synchronized Optional<LiveAlert> find(String alertId) {
        return recent.stream().filter(a -> a.alertId().equals(alertId)).findFirst();
    }

    public boolean healthy() {
        return healthy && thread.isAlive();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    LiveAlert a;
                    try {
                        a = LiveAlert.of(codec.decode(r.topic(), r.value()));
                    } catch (WireFormatException e) {
                        log.warn("console: skipping unreadable alert at {}[{}]@{}: {}", r.topic(), r.partition(),
                                r.offset(), e.getMessage());
                        continue;
                    }
                    remember(a);
                    for (Consumer<LiveAlert> l : listeners) {
                        l.accept(a);
                    }
                }
                healthy = true;
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            healthy = false;
            log.error("console: the alert feed stopped: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void remember(LiveAlert a) {
        recent.removeIf(old -> old.alertId().equals(a.alertId())); // a replayed alert replaces its copy
        recent.addFirst(a);
        while (recent.size() > Math.max(1, recentLimit)) {
            recent.removeLast();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
