package vap.core.kafka;

import org.apache.kafka.common.config.TopicConfig;
import vap.core.config.ConfigException;
import vap.core.config.Settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every topic of the pipeline with its partitions and the configs it must have (README "Retention and erasure").
 * The gallery is compacted with a bounded compaction lag, so an erased person's entry is gone from the log within
 * {@code topics.gallery.max.compaction.lag} plus {@code topics.gallery.delete.retention} (the feedback topic is
 * compacted the same way, with the same two settings); every other topic keeps
 * its records for a configurable time (strangers' crops and embeddings included) and then deletes them.
 */
public record TopicPlan(List<Spec> topics) {

    /** One topic: name, partitions, and the configs it is created with and verified against. */
    public record Spec(String name, int partitions, short replication, Map<String, String> configs) {
    }

    public static final Duration FRAMES_RETENTION = Duration.ofHours(1);
    public static final Duration FACES_RETENTION = Duration.ofHours(24);
    public static final Duration SIGHTINGS_RETENTION = Duration.ofDays(7);
    public static final Duration MATCHES_RETENTION = Duration.ofDays(30);
    public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(14);
    public static final Duration GALLERY_MAX_COMPACTION_LAG = Duration.ofHours(1);
    public static final Duration GALLERY_DELETE_RETENTION = Duration.ofDays(1);

    public TopicPlan {
        topics = List.copyOf(topics);
    }

    /** The plan {@code vap topics} applies: {@code topics.partitions}, {@code topics.replication}, retentions. */
    public static TopicPlan from(Settings s) {
        int partitions = s.integer("topics.partitions", 6);
        int replication = s.integer("topics.replication", 1);
        if (partitions < 1 || replication < 1 || replication > Short.MAX_VALUE) {
            throw new ConfigException("topics.partitions and topics.replication must be at least 1");
        }
        return build(Topics.from(s), partitions, (short) replication, key -> s.duration(key, null));
    }

    /** The default retentions with these partitions (what {@code vap run} and the tests create). */
    public static TopicPlan defaults(Topics topics, int partitions, short replication) {
        return build(topics, partitions, replication, key -> null);
    }

    private static TopicPlan build(Topics t, int partitions, short replication,
                                   java.util.function.Function<String, Duration> configured) {
        List<Spec> out = new ArrayList<>();
        Duration dlq = or(configured.apply("topics.dlq.retention"), DEAD_LETTER_RETENTION);
        Map<String, Duration> retained = new LinkedHashMap<>();
        retained.put(t.frames(), or(configured.apply("topics.frames.retention"), FRAMES_RETENTION));
        retained.put(t.faces(), or(configured.apply("topics.faces.retention"), FACES_RETENTION));
        retained.put(t.sightings(), or(configured.apply("topics.sightings.retention"), SIGHTINGS_RETENTION));
        retained.put(t.matches(), or(configured.apply("topics.matches.retention"), MATCHES_RETENTION));
        retained.put(t.alerts(), or(configured.apply("topics.alerts.retention"), MATCHES_RETENTION));
        retained.put(t.appearances(), or(configured.apply("topics.appearances.retention"), MATCHES_RETENTION));
        retained.forEach((name, keep) -> {
            out.add(new Spec(name, partitions, replication, deleteAfter(keep)));
            out.add(new Spec(Topics.deadLetterTopic(name), 1, replication, deleteAfter(dlq)));
        });
        Duration lag = or(configured.apply("topics.gallery.max.compaction.lag"), GALLERY_MAX_COMPACTION_LAG);
        Duration tombstones = or(configured.apply("topics.gallery.delete.retention"), GALLERY_DELETE_RETENTION);
        out.add(new Spec(t.gallery(), partitions, replication, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(lag.toMillis()),
                TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(tombstones.toMillis()))));
        out.add(new Spec(Topics.deadLetterTopic(t.gallery()), 1, replication, deleteAfter(dlq)));
        // Feedback is kept like the gallery (key feedbackId, so every correction stays; a tombstone withdraws one).
        out.add(new Spec(t.feedback(), partitions, replication, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(lag.toMillis()),
                TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(tombstones.toMillis()))));
        return new TopicPlan(out);
    }

    private static Map<String, String> deleteAfter(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException("topic retentions must be positive, got " + d);
        }
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(d.toMillis()));
    }

    private static Duration or(Duration d, Duration fallback) {
        return d == null ? fallback : d;
    }
}
