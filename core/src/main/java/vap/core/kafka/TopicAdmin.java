package vap.core.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Creates the pipeline's topics if they are missing; existing topics are left as they are. */
public final class TopicAdmin {
    private TopicAdmin() {
    }

    public static void ensureTopics(KafkaSettings kafka, Topics topics, int partitions, short replication) {
        List<NewTopic> wanted = new ArrayList<>();
        for (String t : List.of(topics.frames(), topics.faces(), topics.sightings(), topics.matches(), topics.alerts(),
                topics.appearances())) {
            wanted.add(new NewTopic(t, partitions, replication));
            wanted.add(new NewTopic(Topics.deadLetterTopic(t), 1, replication));
        }
        // The gallery is the watchlist's source of truth: compacted, so the latest entry per identity is kept
        // forever and a tombstone (erase) eventually removes it everywhere.
        wanted.add(new NewTopic(topics.gallery(), partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.DELETE_RETENTION_MS_CONFIG, "86400000")));
        wanted.add(new NewTopic(Topics.deadLetterTopic(topics.gallery()), 1, replication));
        create(kafka, wanted);
    }

    public static void create(KafkaSettings kafka, List<NewTopic> wanted) {
        try (Admin admin = Admin.create(kafka.common())) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e; // another instance creating the same topic at the same time is fine
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics on " + kafka.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }
}
