package vap.recognizer.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.cli.VapCommand;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.recognizer.watchlist.GalleryPublisher;
import vap.recognizer.watchlist.Watchlist;
import vap.testsupport.CommandRunner;
import vap.testsupport.CommandRunner.Run;
import vap.testsupport.KafkaStack;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vap.testsupport.CommandRunner.run;

/** The recognizer's commands as the vap launcher runs them: found through ServiceLoader, driven by picocli, against a real broker. */
class CommandsTest {
    @TempDir
    static Path dir;
    static KafkaStack kafka;

    @BeforeAll
    static void start() {
        kafka = new KafkaStack(dir.resolve("kafka"));
        TopicAdmin.ensureTopics(kafka.settings(), Topics.defaults(), 1, (short) 1);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void allCommandsAreRegistered() {
        Set<String> names = CommandRunner.registeredNames();
        assertTrue(names.containsAll(Set.of("erase", "watchlist", "recognizer", "feedback")), names.toString());
        // `vap recognizer bench` comes from the bench module: launcher/VapCommandLineTest checks it is attached.
    }

    @Test
    void listAndEraseWhatIsInTheGallery() {
        // Published as vap enroll would; the embeddings' values do not matter to the two commands.
        try (GalleryPublisher gallery = new GalleryPublisher(kafka.settings(),
                Topics.defaults().gallery())) {
            gallery.enrol(Watchlist.entry("amy", "Amy", "staff", List.of(unit(1))));
            gallery.enrol(Watchlist.entry("leo", "Leonard", "staff", List.of(unit(2))));
            gallery.enrol(Watchlist.entry("howard", "Howard", "visitors", List.of(unit(3))));
        }
        String[] cluster = CommandRunner.cluster(kafka);

        Run list = run(new WatchlistCommand(), cluster);
        assertEquals(0, list.code(), list.out());
        assertTrue(list.out().contains("3 identities"), list.out());
        assertTrue(list.out().contains("Leonard") && list.out().contains("staff") && list.out().contains("visitors"), list.out());

        Run erased = run(new EraseCommand(), cluster, "leo");
        // The sinks (the database step) are not on this module's classpath: the gallery alone (sinks' ErasureTest).
        assertEquals(0, erased.code(), erased.out());
        assertTrue(erased.out().contains("erased leo: gallery: tombstone written"), erased.out());
        Run unknown = run(new EraseCommand(), cluster, "nobody");
        assertEquals(1, unknown.code(), unknown.out());
        assertTrue(unknown.out().contains("not found nobody: gallery: no such identity"), unknown.out());
        assertFalse(unknown.out().contains("erased nobody"), unknown.out());
        Run after = run(new WatchlistCommand(), cluster, "--json");
        assertEquals(2, after.out().lines().filter(l -> l.startsWith("{")).count(), after.out());
        assertFalse(after.out().contains("\"leo\""), after.out());
        assertTrue(after.out().contains("\"amy\"") && after.out().contains("\"howard\""), after.out());
    }

    /** A 128-d unit vector along axis {@code i}. */
    static float[] unit(int i) {
        float[] v = new float[128];
        v[i] = 1;
        return v;
    }
}
