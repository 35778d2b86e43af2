package vap.recognizer.cli;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.erase.ErasureStep;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.recognizer.watchlist.GalleryPublisher;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * {@code vap erase ID...}: a tombstone per identity on the gallery topic, then every other place that registered an
 * {@link ErasureStep} (the sinks' database). An id the gallery does not hold is reported as such, never as erased.
 */
@Command(name = "erase", mixinStandardHelpOptions = true,
        description = {"Erase identities: from the watchlist on every recognizer replica (a tombstone on the gallery "
                + "topic; compaction then removes their embeddings from Kafka) and from the database (their matches, "
                + "alerts and sightings; needs sinks.jdbc.url). Exit code 1 when an id was found nowhere. "
                + "README \"Retention and erasure\" says where else their data lives and for how long.",
                "  vap erase alice bob"})
public final class EraseCommand implements VapCommand {
    @Mixin
    ServiceOptions options;

    @Parameters(paramLabel = "ID", arity = "1..*", description = "Identity ids to erase.")
    List<String> ids;

    @Override
    public Integer call() throws Exception {
        Settings s = options.settings();
        KafkaSettings kafka = KafkaSettings.from(s);
        String gallery = Topics.from(s).gallery();
        TopicAdmin.requireCompactedGallery(kafka, gallery);
        Map<String, Boolean> enrolled = enrolledIds(kafka, gallery);
        List<ErasureStep> steps = ServiceLoader.load(ErasureStep.class).stream().map(ServiceLoader.Provider::get).toList();
        int code = 0;
        try (GalleryPublisher publisher = new GalleryPublisher(kafka, gallery)) {
            for (String id : ids) {
                boolean known = enrolled.getOrDefault(id, false);
                StringBuilder report = new StringBuilder();
                long removedElsewhere = 0;
                if (known) {
                    publisher.erase(id);
                    report.append("gallery: tombstone written");
                } else {
                    report.append("gallery: no such identity (unknown, or erased before)");
                }
                for (ErasureStep step : steps) {
                    if (!step.configured(s)) {
                        report.append("; ").append(step.place()).append(": NOT erased (not configured; set its keys, "
                                + "e.g. sinks.jdbc.url, and run again)");
                        code = Math.max(code, 2);
                        continue;
                    }
                    Map<String, Long> removed = step.erase(s, id);
                    removedElsewhere += removed.values().stream().mapToLong(Long::longValue).sum();
                    report.append("; ").append(step.place()).append(": ").append(removed);
                }
                if (!known && removedElsewhere == 0) {
                    System.out.println("not found " + id + ": " + report);
                    code = Math.max(code, 1);
                } else {
                    System.out.println("erased " + id + ": " + report);
                }
            }
        }
        return code;
    }

    /** Every key of the gallery with whether its latest record is an entry (true) or a tombstone (false). */
    static Map<String, Boolean> enrolledIds(KafkaSettings kafka, String gallery) {
        Map<String, Object> p = kafka.consumerProps("unused", "vap-erase-" + Long.toHexString(System.nanoTime()));
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, Boolean> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(gallery, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(gallery, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 60_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("could not read the gallery topic " + gallery + " to its end in 60 s");
                }
                c.poll(Duration.ofMillis(500)).forEach(r -> latest.put(r.key(), r.value() != null));
            }
        }
        return latest;
    }
}
