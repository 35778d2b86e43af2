package vap.embedded;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.TopicCheck;
import vap.core.kafka.TopicPlan;
import vap.core.kafka.Topics;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up topic check every service runs (issue 13, item 4), on a real broker: each refusal (missing topic,
 * wrong cleanup policy) names the topic and says to run `vap topics`; other retentions and a missing optional
 * topic are only warnings; after `vap topics` nothing is refused or warned about.
 */
class TopicCheckTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static KafkaSettings ks;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        ks = KafkaSettings.of(kafka.bootstrapServers(), "http://127.0.0.1:1");
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private static Settings settings(String prefix, String... more) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "registry.url", "http://127.0.0.1:1", "topics.prefix", prefix, "topics.partitions", "2"));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return Settings.of(m);
    }

    @Test
    void aMissingTopicIsRefusedNamingItAndWhatToRun() {
        Topics t = Topics.withPrefix("miss.");
        kafka.createTopic(t.frames(), 2, false); // just created: the check waits until the broker lists it
        TopicCheck.Needs needs = TopicCheck.Needs.of("detector", t.frames(), t.faces()).withDeadLetters(t.frames());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TopicCheck.atStart(settings("miss."), needs));
        String m = e.getMessage();
        assertTrue(m.startsWith("detector refuses to start"), m);
        assertTrue(m.contains("topic miss.faces does not exist") && m.contains("topic miss.frames.dlq does not exist"), m);
        assertTrue(!m.contains("topic miss.frames does"), "the frames topic exists: " + m);
        assertTrue(m.contains("Run `vap topics`"), m);
    }

    @Test
    void aCompactedFramesTopicIsRefused() {
        Topics t = Topics.withPrefix("cmp.");
        kafka.createTopic(t.frames(), 2, true); // keeps one frame per camera for ever instead of expiring them
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TopicCheck.atStart(settings("cmp."), TopicCheck.Needs.of("ingest", t.frames())));
        assertTrue(e.getMessage().contains("topic cmp.frames has cleanup.policy=compact, not delete")
                && e.getMessage().contains("Run `vap topics`"), e.getMessage());
    }

    @Test
    void aDeletingGalleryIsRefusedByTheRecognizersCheck() {
        Topics t = Topics.withPrefix("gal.");
        kafka.createTopic(t.gallery(), 2, false); // what the broker's auto-creation makes of it
        TopicAdmin.apply(ks, TopicPlan.from(settings("gal.")), false); // the others as planned; the gallery kept
        TopicCheck.Needs needs = TopicCheck.Needs.of("recognizer", t.faces(), t.gallery(), t.sightings())
                .withDeadLetters(t.faces()).optionally(t.feedback());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TopicCheck.atStart(settings("gal."), needs));
        assertTrue(e.getMessage().contains("topic gal.gallery has cleanup.policy=delete, not compact")
                && e.getMessage().contains("age out"), e.getMessage());
        assertTrue(!e.getMessage().contains("gal.faces"), "only the gallery is wrong: " + e.getMessage());
    }

    @Test
    void otherRetentionsAndAMissingOptionalTopicAreOnlyWarnings() {
        Topics t = Topics.withPrefix("warn.");
        TopicPlan other = TopicPlan.from(settings("warn.", "topics.faces.retention", "2h"));
        TopicAdmin.apply(ks, new TopicPlan(other.topics().stream().filter(x -> !x.name().equals(t.feedback())).toList()),
                false); // a cluster from before the feedback topic, with the faces kept 2 h
        TopicCheck.Needs needs = TopicCheck.Needs.of("recognizer", t.faces(), t.gallery()).optionally(t.feedback());
        List<String> warnings = TopicCheck.atStart(settings("warn."), needs); // plan says faces 24 h; the topic has 2 h
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("warn.faces differs") && w.contains("retention.ms")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("warn.feedback does not exist")), warnings.toString());
    }

    @Test
    void afterVapTopicsNothingIsRefusedOrWarned() {
        Topics t = Topics.withPrefix("ok.");
        kafka.createTopic(t.gallery(), 2, false);
        Settings s = settings("ok.");
        TopicCheck.Needs needs = TopicCheck.Needs.of("sinks", t.sightings(), t.matches(), t.alerts(), t.appearances(),
                t.gallery()).withDeadLetters(t.sightings());
        assertThrows(IllegalStateException.class, () -> TopicCheck.atStart(s, needs));
        TopicAdmin.apply(ks, TopicPlan.from(s), true); // what `vap topics` does
        assertEquals(List.of(), TopicCheck.atStart(s, needs));
    }
}
