package vap.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import vap.core.admin.TopicsCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.TopicPlan;
import vap.core.kafka.Topics;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vap topics} on a real broker: creates, verifies, and repairs a gallery the broker auto-created. */
class TopicsTest {
    @TempDir
    Path dir;

    @Test
    void anAutoCreatedGalleryIsRefusedUntilVapTopicsCompactsIt() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            KafkaSettings ks = KafkaSettings.of(kafka.bootstrapServers(), "http://127.0.0.1:1");
            Topics topics = Topics.defaults();
            IllegalStateException none = assertThrows(IllegalStateException.class,
                    () -> TopicAdmin.requireCompactedGallery(ks, topics.gallery()));
            assertTrue(none.getMessage().contains("does not exist") && none.getMessage().contains("vap topics"), none.getMessage());

            // What the first `vap enroll` did on a cluster: the broker auto-created the gallery, deleting after 7 days.
            kafka.createTopic(topics.gallery(), 1, false);
            IllegalStateException deleting = assertThrows(IllegalStateException.class,
                    () -> TopicAdmin.requireCompactedGallery(ks, topics.gallery()));
            assertTrue(deleting.getMessage().contains("cleanup.policy=delete") && deleting.getMessage().contains("Run `vap topics`"),
                    deleting.getMessage());

            String[] args = {"--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", "http://127.0.0.1:1",
                    "-D", "topics.partitions=2", "-D", "topics.frames.retention=30m"};
            assertEquals(1, run(concat(args, "--check")).code(), "check finds the missing topics and the gallery");
            Result applied = run(args);
            System.out.print(applied.out());
            assertEquals(0, applied.code(), applied.out());
            assertTrue(applied.out().contains("vap.gallery") && applied.out().contains("updated"), applied.out());
            assertTrue(applied.out().contains("vap.frames") && applied.out().contains("created"), applied.out());
            TopicAdmin.requireCompactedGallery(ks, topics.gallery()); // no longer refused

            Result checked = run(concat(args, "--check"));
            assertEquals(0, checked.code(), checked.out());
            try (Admin admin = Admin.create(ks.common())) {
                assertEquals("1800000", config(admin, topics.frames(), "retention.ms"));
                assertEquals("compact", config(admin, topics.gallery(), "cleanup.policy"));
                assertEquals(String.valueOf(TopicPlan.GALLERY_MAX_COMPACTION_LAG.toMillis()),
                        config(admin, topics.gallery(), "max.compaction.lag.ms"));
                assertEquals(2, admin.describeTopics(List.of(topics.sightings())).allTopicNames().get()
                        .get(topics.sightings()).partitions().size());
            }
            assertTrue(TopicAdmin.verify(ks, TopicPlan.from(Settings.of(Map.of("topics.partitions", "2",
                    "topics.frames.retention", "30m")))).stream().allMatch(o -> o.status() == TopicAdmin.Status.OK
                    || o.topic().equals(topics.gallery()) && o.status() == TopicAdmin.Status.FEWER_PARTITIONS));
        }
    }

    record Result(int code, String out) {
    }

    private static Result run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            int code = new CommandLine(new TopicsCommand()).execute(args);
            return new Result(code, buf.toString());
        } finally {
            System.setOut(old);
        }
    }

    private static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    private static String config(Admin admin, String topic, String key) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r).get(key).value();
    }
}
