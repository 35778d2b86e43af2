package vap.photos.cli;

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
import vap.photos.SharedTestData;
import vap.recognizer.cli.EraseCommand;
import vap.recognizer.cli.WatchlistCommand;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands as the vap launcher runs them: found through ServiceLoader, driven by picocli, against a real broker. */
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
        assertTrue(names.containsAll(Set.of("enroll", "analyze")), names.toString());
    }

    @Test
    void enrolListEraseThenAnalyze() throws Exception {
        Path portraits = SharedTestData.identitiesAsPortraits(dir.resolve("portraits"));
        Path people = dir.resolve("people");
        for (String p : List.of("amy", "howard")) {
            Files.createDirectories(people.resolve(p));
            Files.copy(portraits.resolve(p).resolve(p + "1.png"), people.resolve(p).resolve(p + "1.png"));
        }
        String[] cluster = {"--set", "kafka.bootstrap.servers=" + kafka.bootstrapServers(), "--set", "registry.url=" + registry.url()};

        Run folder = run(new EnrollCommand(), cluster, "--folder", people.toString(), "--watchlist", "staff");
        assertEquals(0, folder.code, folder.out);
        assertTrue(folder.out.contains("enrolled 2 of 2 identities"), folder.out);
        Run one = run(new EnrollCommand(), cluster, "--id", "leo", "--name", "Leonard",
                portraits.resolve("leonard/leonard1.png").toString());
        assertEquals(0, one.code, one.out);

        Run list = run(new WatchlistCommand(), cluster);
        assertTrue(list.out.contains("3 identities"), list.out);
        assertTrue(list.out.contains("Leonard") && list.out.contains("staff"), list.out);

        assertEquals(0, run(new EraseCommand(), cluster, "leo").code);
        Run after = run(new WatchlistCommand(), cluster, "--json");
        assertEquals(2, after.out.lines().filter(l -> l.startsWith("{")).count(), after.out);
        assertFalse(after.out.contains("\"leo\""), after.out);

        // analyze against the gallery topic: howard2 is howard, leonard2 is nobody now.
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.copy(portraits.resolve("howard/howard2.png"), photos.resolve("howard2.png"));
        Files.copy(portraits.resolve("leonard/leonard2.png"), photos.resolve("leonard2.png"));
        Path csv = dir.resolve("result.csv");
        Run analyze = run(new AnalyzeCommand(), cluster, photos.toString(), "-o", csv.toString());
        assertEquals(0, analyze.code, analyze.out);
        List<String> rows = Files.readAllLines(csv);
        assertEquals(3, rows.size(), rows.toString());
        assertTrue(rows.get(1).startsWith("howard2.png,0,") && rows.get(1).contains(",howard,howard,") && rows.get(1).endsWith(",true"), rows.get(1));
        assertTrue(rows.get(2).startsWith("leonard2.png,0,") && rows.get(2).endsWith(",false"), rows.get(2));
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
