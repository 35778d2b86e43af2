package vap.console.watchlist;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.core.serde.WireFormatException;
import vap.messages.GalleryEntry;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is enrolled, as the console lists it: the compacted gallery topic read from the beginning and followed
 * (no consumer group), the latest record per identity winning and a tombstone erasing. Unlike a recognizer it
 * keeps no index, only names, embeddings and the enrolled photo (gone with the person's tombstone).
 */
public final class GalleryView implements AutoCloseable {
    /** One enrolled person: the embeddings (one per photo) serve the search of past faces, the photo the pages. */
    public record Person(String identityId, String displayName, String watchlist, List<float[]> embeddings,
                         Instant enrolledAt, byte[] photoJpeg) {
        public int photos() {
            return embeddings.size();
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GalleryView.class);
    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroCodec<GalleryEntry> codec;
    private final Map<String, Person> people = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public GalleryView(KafkaSettings kafka, String galleryTopic) {
        this.consumer = new KafkaConsumer<>(kafka.readerProps("vap-console-gallery"));
        this.codec = new AvroCodec<>(kafka.registryClient(), GalleryEntry.class, false);
        List<TopicPartition> parts = consumer.partitionsFor(galleryTopic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(galleryTopic, i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        this.thread = new Thread(this::run, "console-gallery");
        thread.setDaemon(true);
        thread.start();
    }

    /** Everyone enrolled, by name. */
    public List<Person> people() {
        return people.values().stream().sorted(Comparator.comparing(Person::displayName)
                .thenComparing(Person::identityId)).toList();
    }

    public Optional<Person> find(String identityId) {
        return Optional.ofNullable(identityId == null ? null : people.get(identityId));
    }

    private static Person person(GalleryEntry e) {
        List<float[]> embeddings = new ArrayList<>();
        for (List<Float> v : e.getEmbeddings()) {
            float[] a = new float[v.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = v.get(i);
            }
            embeddings.add(a);
        }
        byte[] photo = null;
        if (e.getPhotoJpeg() != null) {
            photo = new byte[e.getPhotoJpeg().remaining()];
            e.getPhotoJpeg().duplicate().get(photo);
        }
        return new Person(e.getIdentityId(), e.getDisplayName(), e.getWatchlist(), List.copyOf(embeddings),
                e.getEnrolledTimestamp(), photo);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        people.remove(r.key());
                        continue;
                    }
                    try {
                        GalleryEntry e = codec.decode(r.topic(), r.value());
                        people.put(e.getIdentityId(), person(e));
                    } catch (WireFormatException e) {
                        log.warn("console: skipping unreadable gallery record {}: {}", r.key(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
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
