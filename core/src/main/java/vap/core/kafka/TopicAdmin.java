package vap.core.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the pipeline's topics and brings their configs to the {@link TopicPlan} ({@code vap topics}), or only
 * checks them (every service at start). Partition counts are reported, never changed: adding partitions would
 * move cameras and identities to other partitions and break their order.
 */
public final class TopicAdmin {
    /** What was found (and done) for one topic. */
    public record Outcome(String topic, Status status, String detail) {
        @Override
        public String toString() {
            return String.format("%-24s %-9s %s", topic, status.name().toLowerCase(), detail).trim();
        }
    }

    /** MISSING and DIFFERS (configs) fail {@code vap topics --check}; FEWER_PARTITIONS only limits how far it scales. */
    public enum Status { OK, CREATED, UPDATED, MISSING, DIFFERS, FEWER_PARTITIONS }

    private TopicAdmin() {
    }

    /** Creates missing topics with the default plan; existing ones keep their configs (what {@code vap run} does). */
    public static void ensureTopics(KafkaSettings kafka, Topics topics, int partitions, short replication) {
        apply(kafka, TopicPlan.defaults(topics, partitions, replication), false);
    }

    /**
     * @param fixConfigs also set the configs of existing topics that differ from the plan ({@code vap topics})
     */
    public static List<Outcome> apply(KafkaSettings kafka, TopicPlan plan, boolean fixConfigs) {
        return run(kafka, admin -> {
            List<Outcome> out = new ArrayList<>();
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = plan.topics().stream().filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), t.partitions(), t.replication()).configs(t.configs())).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e; // another instance creating the same topic at the same time is fine
                    }
                }
                missing.forEach(t -> out.add(new Outcome(t.name(), Status.CREATED, t.numPartitions() + " partitions, "
                        + t.configs())));
            }
            List<TopicPlan.Spec> present = plan.topics().stream().filter(t -> existing.contains(t.name())).toList();
            for (Outcome o : compare(admin, present)) {
                if (o.status() == Status.DIFFERS && fixConfigs) {
                    TopicPlan.Spec spec = present.stream().filter(t -> t.name().equals(o.topic())).findFirst().orElseThrow();
                    List<AlterConfigOp> ops = spec.configs().entrySet().stream()
                            .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                            .toList();
                    admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()), ops))
                            .all().get(30, TimeUnit.SECONDS);
                    awaitApplied(admin, spec);
                    out.add(new Outcome(o.topic(), Status.UPDATED, o.detail()));
                } else {
                    out.add(o);
                }
            }
            return out;
        });
    }

    /** Compares the topics with the plan and changes nothing. */
    public static List<Outcome> verify(KafkaSettings kafka, TopicPlan plan) {
        return run(kafka, admin -> {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<Outcome> out = new ArrayList<>();
            plan.topics().stream().filter(t -> !existing.contains(t.name()))
                    .forEach(t -> out.add(new Outcome(t.name(), Status.MISSING, "run `vap topics` to create it")));
            out.addAll(compare(admin, plan.topics().stream().filter(t -> existing.contains(t.name())).toList()));
            return out;
        });
    }

    /**
     * Refuses a gallery topic that is missing or not compacted: a deleting gallery forgets enrolled people after
     * its retention, and an erasure never compacts anything away. Called by the commands that read or write it
     * ({@code vap enroll}, {@code vap erase}); the services check all their topics with {@link TopicCheck}.
     */
    public static void requireCompactedGallery(KafkaSettings kafka, String gallery) {
        TopicPlan galleryOnly = new TopicPlan(List.of(new TopicPlan.Spec(gallery, 1, (short) 1,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        TopicCheck.atStart(kafka, galleryOnly, TopicCheck.Needs.of("this command", gallery));
    }

    /** The cleanup.policy of each of these existing topics. */
    static Map<String, String> cleanupPolicies(KafkaSettings kafka, Collection<String> topics) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        return run(kafka, admin -> {
            List<ConfigResource> resources = topics.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            Map<String, String> out = new HashMap<>();
            configs.forEach((r, c) -> {
                ConfigEntry e = c.get(TopicConfig.CLEANUP_POLICY_CONFIG);
                out.put(r.name(), e == null ? null : e.value());
            });
            return out;
        });
    }

    /** How long the broker keeps a tombstone on this compacted topic (delete.retention.ms). */
    public static java.time.Duration deleteRetention(KafkaSettings kafka, String topic) {
        return run(kafka, admin -> {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            ConfigEntry e = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r)
                    .get(TopicConfig.DELETE_RETENTION_MS_CONFIG);
            return java.time.Duration.ofMillis(e == null ? 86_400_000L : Long.parseLong(e.value()));
        });
    }

    private static List<Outcome> compare(Admin admin, Collection<TopicPlan.Spec> specs) throws Exception {
        if (specs.isEmpty()) {
            return List.of();
        }
        List<ConfigResource> resources = specs.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        Map<String, TopicDescription> described = admin.describeTopics(specs.stream().map(TopicPlan.Spec::name).toList())
                .allTopicNames().get(30, TimeUnit.SECONDS);
        List<Outcome> out = new ArrayList<>();
        for (TopicPlan.Spec t : specs) {
            Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t.name()));
            Map<String, String> differ = new HashMap<>();
            t.configs().forEach((k, v) -> {
                ConfigEntry e = c.get(k);
                String actual = e == null ? null : e.value();
                if (!v.equals(actual)) {
                    differ.put(k, actual + " (wanted " + v + ")");
                }
            });
            int partitions = described.get(t.name()).partitions().size();
            if (!differ.isEmpty()) {
                out.add(new Outcome(t.name(), Status.DIFFERS, differ.toString()));
            } else if (partitions < t.partitions()) {
                out.add(new Outcome(t.name(), Status.FEWER_PARTITIONS, partitions + " partitions (planned " + t.partitions()
                        + "; not changed: adding partitions reorders keys)"));
            } else {
                out.add(new Outcome(t.name(), Status.OK, partitions + " partitions"));
            }
        }
        return out;
    }

    /** The controller has the change at once; the brokers' view follows: report it only once they serve it. */
    private static void awaitApplied(Admin admin, TopicPlan.Spec spec) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (compare(admin, List.of(spec)).get(0).status() == Status.DIFFERS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the configs of " + spec.name() + " were set but the broker still "
                        + "serves the old ones after 30 s");
            }
            Thread.sleep(200);
        }
    }

    @FunctionalInterface
    private interface AdminCall<T> {
        T call(Admin admin) throws Exception;
    }

    private static <T> T run(KafkaSettings kafka, AdminCall<T> call) {
        try (Admin admin = Admin.create(kafka.common())) {
            return call.call(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while managing topics", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot manage topics on " + kafka.bootstrapServers() + ": " + cause, cause);
        }
    }
}
