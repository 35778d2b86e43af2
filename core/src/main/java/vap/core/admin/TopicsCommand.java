package vap.core.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.TopicPlan;

import java.util.List;

/** {@code vap topics}: creates every topic of the pipeline, or brings its configs to the plan. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create the pipeline's topics with their partitions and configs (gallery compacted with a bounded "
                + "compaction lag; frames, faces, sightings, matches, alerts and dead letters with retention), and set the "
                + "configs of existing topics that differ. Keys: topics.partitions, topics.replication, "
                + "topics.<frames|faces|sightings|matches|alerts|dlq>.retention, topics.gallery.max.compaction.lag, "
                + "topics.gallery.delete.retention.")
public final class TopicsCommand implements VapCommand {
    @Mixin
    ServiceOptions options = new ServiceOptions();
    @Option(names = "--check", description = "Only compare with the plan; exit 1 when a topic is missing or differs.")
    boolean check;

    @Override
    public Integer call() {
        Settings s = options.settings();
        KafkaSettings kafka = KafkaSettings.from(s);
        TopicPlan plan = TopicPlan.from(s);
        List<TopicAdmin.Outcome> outcomes = check ? TopicAdmin.verify(kafka, plan) : TopicAdmin.apply(kafka, plan, true);
        outcomes.forEach(System.out::println);
        boolean bad = outcomes.stream().anyMatch(o -> o.status() == TopicAdmin.Status.MISSING
                || o.status() == TopicAdmin.Status.DIFFERS);
        return bad ? 1 : 0;
    }
}
