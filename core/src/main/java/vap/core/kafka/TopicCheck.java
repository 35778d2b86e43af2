package vap.core.kafka;

import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.config.Settings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every service checks at start about the topics it reads and writes, against the {@link TopicPlan}.
 * <p>
 * Refused (the service does not start, the message says to run {@code vap topics}):
 * <ul>
 *   <li>a missing topic: the broker would auto-create it on first use with its own defaults (one partition, so no
 *       second replica ever gets work; seven days of camera images and strangers' faces; a deleting gallery), or,
 *       with auto-creation off, every send would fail;</li>
 *   <li>another {@code cleanup.policy}: a compacted frames topic keeps one frame per camera for ever, a deleting
 *       gallery forgets enrolled people and keeps erased ones.</li>
 * </ul>
 * Only warned about: other retention or compaction times (the operator may have set them with {@code vap topics}
 * from another config file; the service's own settings need not carry the {@code topics.*} keys, and refusing over
 * a number only {@code vap topics} uses would stop a working pipeline). Fewer partitions than planned are only logged
 * (it caps how many replicas share the work; partitions are never added, as that reorders keys). An optional topic
 * (the recognizer's feedback, absent on clusters made before it) is warned about when missing.
 */
public final class TopicCheck {
    private static final Logger log = LoggerFactory.getLogger(TopicCheck.class);
    private static final java.time.Duration MISSING_GRACE = java.time.Duration.ofSeconds(3);

    private TopicCheck() {
    }

    /** The topics a service needs: required ones refuse the start when wrong, optional ones only when present. */
    public record Needs(String service, List<String> required, List<String> optional) {
        public Needs {
            required = List.copyOf(required);
            optional = List.copyOf(optional);
        }

        public static Needs of(String service, String... required) {
            return new Needs(service, Arrays.asList(required), List.of());
        }

        public Needs optionally(String... topics) {
            List<String> more = new ArrayList<>(optional);
            more.addAll(Arrays.asList(topics));
            return new Needs(service, required, more);
        }

        /** Also the dead-letter topic of each topic the service consumes (a poison record is sent there). */
        public Needs withDeadLetters(String... consumed) {
            List<String> more = new ArrayList<>(required);
            Arrays.stream(consumed).map(Topics::deadLetterTopic).forEach(more::add);
            return new Needs(service, more, optional);
        }
    }

    /** Checks with the plan of these settings ({@code topics.*}); throws when refused, logs the warnings. */
    public static List<String> atStart(Settings settings, Needs needs) {
        return atStart(KafkaSettings.from(settings), TopicPlan.from(settings), needs);
    }

    /**
     * @return the warnings (already logged)
     * @throws IllegalStateException naming every refused topic and saying what to run
     */
    public static List<String> atStart(KafkaSettings kafka, TopicPlan plan, Needs needs) {
        Map<String, TopicPlan.Spec> planned = new HashMap<>();
        plan.topics().forEach(t -> planned.put(t.name(), t));
        List<TopicPlan.Spec> wanted = new ArrayList<>();
        for (String name : concat(needs.required(), needs.optional())) {
            TopicPlan.Spec spec = planned.get(name);
            if (spec == null) {
                throw new IllegalArgumentException(name + " is not a topic of the plan (topics.prefix?)");
            }
            wanted.add(spec);
        }
        List<TopicAdmin.Outcome> outcomes = verifyWithGrace(kafka, new TopicPlan(wanted), needs.required());
        Map<String, TopicAdmin.Outcome> found = new HashMap<>();
        outcomes.forEach(o -> found.put(o.topic(), o));
        Map<String, String> policies = TopicAdmin.cleanupPolicies(kafka, outcomes.stream()
                .filter(o -> o.status() != TopicAdmin.Status.MISSING).map(TopicAdmin.Outcome::topic).toList());
        List<String> refused = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (TopicPlan.Spec spec : wanted) {
            TopicAdmin.Outcome o = found.get(spec.name());
            boolean required = needs.required().contains(spec.name());
            if (o.status() == TopicAdmin.Status.MISSING) {
                (required ? refused : warnings).add("topic " + spec.name() + " does not exist");
                continue;
            }
            String wantedPolicy = spec.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG);
            String actualPolicy = policies.get(spec.name());
            if (!policySet(wantedPolicy).equals(policySet(actualPolicy))) {
                refused.add("topic " + spec.name() + " has cleanup.policy=" + actualPolicy + ", not " + wantedPolicy
                        + (TopicConfig.CLEANUP_POLICY_COMPACT.equals(wantedPolicy)
                        ? " (enrolled people would silently age out and erasures would never be compacted)"
                        : " (records would be compacted by key instead of expiring after their retention)"));
            } else if (o.status() == TopicAdmin.Status.DIFFERS) {
                warnings.add("topic " + spec.name() + " differs from the plan: " + o.detail()
                        + " (`vap topics --check` compares, `vap topics` sets them)");
            } else if (o.status() == TopicAdmin.Status.FEWER_PARTITIONS) {
                // Not a fault (vap run makes as many as it has cameras): it only caps how many replicas share the work.
                log.info("{}: topic {} has {}", needs.service(), spec.name(), o.detail());
            }
        }
        warnings.forEach(w -> log.warn("{}: {}", needs.service(), w));
        if (!refused.isEmpty()) {
            throw new IllegalStateException(needs.service() + " refuses to start: " + String.join("; ", refused)
                    + ". Run `vap topics` to create the topics and set their configs (same -c file / VAP_* environment "
                    + "as this service; `vap topics --check` only compares), then start it again");
        }
        return warnings;
    }

    /**
     * A topic created a moment ago (by {@code vap topics}, {@code vap run} or another replica) is known to the
     * controller at once but listed by the brokers a little later: look again for a few seconds before calling it missing.
     */
    private static List<TopicAdmin.Outcome> verifyWithGrace(KafkaSettings kafka, TopicPlan plan, List<String> required) {
        long deadline = System.nanoTime() + MISSING_GRACE.toNanos();
        while (true) {
            List<TopicAdmin.Outcome> outcomes = TopicAdmin.verify(kafka, plan);
            boolean missing = outcomes.stream().anyMatch(o -> o.status() == TopicAdmin.Status.MISSING
                    && required.contains(o.topic()));
            if (!missing || System.nanoTime() > deadline) {
                return outcomes;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return outcomes;
            }
        }
    }

    private static Set<String> policySet(String policy) {
        Set<String> out = new TreeSet<>();
        if (policy != null) {
            Arrays.stream(policy.split(",")).map(String::trim).filter(p -> !p.isEmpty()).forEach(out::add);
        }
        return out;
    }

    private static List<String> concat(Collection<String> a, Collection<String> b) {
        List<String> out = new ArrayList<>(a);
        b.stream().filter(x -> !out.contains(x)).forEach(out::add);
        return out;
    }
}
