package vap.recognizer.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import vap.core.cli.VapCommand;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.embedded.EmbeddedKafka;
import vap.embedded.SchemaRegistryServer;
import vap.recognizer.watchlist.GalleryPublisher;
import vap.recognizer.watchlist.Watchlist;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recognizer's commands as the vap launcher runs them: found through ServiceLoader, driven by picocli, against a real broker. */
class CommandsTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static SchemaRegistryServer registry;

    @BeforeAll
    static void start() {
        registry = SchemaRegistryServer.start(0);
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        TopicAdmin.ensureTopics(KafkaSettings.of(kafka.bootstrapServers(), registry.url()), Topics.defaults(), 1, (short) 1);
    }

    @AfterAll
    static void stop() {
        kafka.close();
        registry.close();
    }

    @Test
    void allCommandsAreRegistered() {
        Set<String> names = ServiceLoader.load(VapCommand.class).stream()
                .map(p -> p.type().getAnnotation(CommandLine.Command.class).name()).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("erase", "watchlist", "recognizer", "feedback")), names.toString());
        // `vap recognizer bench` comes from the bench module: launcher/VapCommandLineTest checks it is attached.
    }

    @Test
    void listAndEraseWhatIsInTheGallery() {
        // Published as vap enroll would; the embeddings' values do not matter to the two commands.
        try (GalleryPublisher gallery = new GalleryPublisher(KafkaSettings.of(kafka.bootstrapServers(), registry.url()),
                Topics.defaults().gallery())) {
            gallery.enrol(Watchlist.entry("amy", "Amy", "staff", List.of(unit(1))));
            gallery.enrol(Watchlist.entry("leo", "Leonard", "staff", List.of(unit(2))));
            gallery.enrol(Watchlist.entry("howard", "Howard", "visitors", List.of(unit(3))));
        }
        String[] cluster = {"--set", "kafka.bootstrap.servers=" + kafka.bootstrapServers(), "--set", "registry.url=" + registry.url()};

        Run list = run(new WatchlistCommand(), cluster);
        assertEquals(0, list.code, list.out);
        assertTrue(list.out.contains("3 identities"), list.out);
        assertTrue(list.out.contains("Leonard") && list.out.contains("staff") && list.out.contains("visitors"), list.out);

        Run erased = run(new EraseCommand(), cluster, "leo");
        // The sinks (the database step) are not on this module's classpath: the gallery alone (sinks' ErasureTest).
        assertEquals(0, erased.code, erased.out);
        assertTrue(erased.out.contains("erased leo: gallery: tombstone written"), erased.out);
        Run unknown = run(new EraseCommand(), cluster, "nobody");
        assertEquals(1, unknown.code, unknown.out);
        assertTrue(unknown.out.contains("not found nobody: gallery: no such identity"), unknown.out);
        assertFalse(unknown.out.contains("erased nobody"), unknown.out);
        Run after = run(new WatchlistCommand(), cluster, "--json");
        assertEquals(2, after.out.lines().filter(l -> l.startsWith("{")).count(), after.out);
        assertFalse(after.out.contains("\"leo\""), after.out);
        assertTrue(after.out.contains("\"amy\"") && after.out.contains("\"howard\""), after.out);
    }

    /** A 128-d unit vector along axis {@code i}. */
    static float[] unit(int i) {
        float[] v = new float[128];
        v[i] = 1;
        return v;
    }

    record Run(int code, String out) {
    }

    static Run run(VapCommand command, String[] common, String... args) {
        List<String> all = new ArrayList<>(List.of(common));
        all.addAll(List.of(args));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            int code = new CommandLine(command).execute(all.toArray(String[]::new));
            return new Run(code, captured.toString());
        } finally {
            System.setOut(original);
        }
    }
}
