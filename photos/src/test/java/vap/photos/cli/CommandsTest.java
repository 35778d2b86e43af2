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
import vap.detector.mtcnn.MtcnnConfig;
import vap.photos.PhotoFaces;
import vap.photos.SamplePhotos;
import vap.testsupport.SharedTestData;
import vap.recognizer.cli.EraseCommand;
import vap.recognizer.cli.WatchlistCommand;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @Test
    void enrolListEraseThenAnalyzeTheSampleGroupPhoto() throws Exception {
        // Without ../shared: the three people of sample1, cut out as portraits; p2 is enrolled, then erased.
        Path group = SamplePhotos.write("sample1.jpg", 960, false, dir.resolve("sample/group.png"));
        Map<String, float[]> centres;
        try (PhotoFaces faces = new PhotoFaces(MtcnnConfig.defaults(), PhotoFaces.CropMode.ALIGNED)) {
            centres = SamplePhotos.portraits(group, faces, dir.resolve("sample/portraits"));
        }
        assertEquals(3, centres.size());
        Path people = dir.resolve("sample/people");
        for (String p : List.of("p0", "p1")) {
            Files.createDirectories(people.resolve(p));
            Files.copy(dir.resolve("sample/portraits").resolve(p).resolve(p + ".png"), people.resolve(p).resolve(p + ".png"));
        }
        String[] cluster = {"--set", "kafka.bootstrap.servers=" + kafka.bootstrapServers(), "--set", "registry.url=" + registry.url(),
                "--set", "topics.prefix=sample."};
        TopicAdmin.ensureTopics(KafkaSettings.of(kafka.bootstrapServers(), registry.url()),
                Topics.from(vap.core.config.Settings.of(Map.of("topics.prefix", "sample."))), 1, (short) 1);

        Run folder = run(new EnrollCommand(), cluster, "--folder", people.toString(), "--watchlist", "staff");
        assertEquals(0, folder.code, folder.out);
        assertTrue(folder.out.contains("enrolled 2 of 2 identities"), folder.out);
        Run one = run(new EnrollCommand(), cluster, "--id", "p2", "--name", "Person two",
                dir.resolve("sample/portraits/p2/p2.png").toString());
        assertEquals(0, one.code, one.out);
        Run list = run(new WatchlistCommand(), cluster);
        assertTrue(list.out.contains("3 identities") && list.out.contains("Person two"), list.out);
        assertEquals(0, run(new EraseCommand(), cluster, "p2").code);

        Path photos = Files.createDirectories(dir.resolve("sample/photos"));
        Files.copy(group, photos.resolve("group.png"));
        Path csv = dir.resolve("sample/result.csv");
        Run analyze = run(new AnalyzeCommand(), cluster, photos.toString(), "-o", csv.toString());
        assertEquals(0, analyze.code, analyze.out);
        List<String> rows = Files.readAllLines(csv);
        assertEquals(4, rows.size(), rows.toString());
        for (String line : rows.subList(1, rows.size())) {
            String[] row = line.split(",");
            String who = SamplePhotos.nearest(centres, 1, (Float.parseFloat(row[2]) + Float.parseFloat(row[4])) / 2,
                    (Float.parseFloat(row[3]) + Float.parseFloat(row[5])) / 2);
            if (who.equals("p2")) {
                assertEquals("false", row[11], "p2 was erased: " + line);
            } else {
                assertEquals(who, row[8], line);
                assertEquals("true", row[11], line);
            }
        }
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
