package vap.photos.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.detector.mtcnn.MtcnnConfig;
import vap.photos.PhotoFaces;
import vap.photos.SamplePhotos;
import vap.recognizer.cli.EraseCommand;
import vap.recognizer.cli.WatchlistCommand;
import vap.testsupport.CommandRunner;
import vap.testsupport.CommandRunner.Run;
import vap.testsupport.KafkaStack;
import vap.testsupport.SharedTestData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vap.testsupport.CommandRunner.run;

/** The commands as the vap launcher runs them: found through ServiceLoader, driven by picocli, against a real broker. */
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
        String[] cluster = CommandRunner.cluster(kafka);

        Run folder = run(new EnrollCommand(), cluster, "--folder", people.toString(), "--watchlist", "staff");
        assertEquals(0, folder.code(), folder.out());
        assertTrue(folder.out().contains("enrolled 2 of 2 identities"), folder.out());
        Run one = run(new EnrollCommand(), cluster, "--id", "leo", "--name", "Leonard",
                portraits.resolve("leonard/leonard1.png").toString());
        assertEquals(0, one.code(), one.out());

        Run list = run(new WatchlistCommand(), cluster);
        assertTrue(list.out().contains("3 identities"), list.out());
        assertTrue(list.out().contains("Leonard") && list.out().contains("staff"), list.out());

        assertEquals(0, run(new EraseCommand(), cluster, "leo").code());
        Run after = run(new WatchlistCommand(), cluster, "--json");
        assertEquals(2, after.out().lines().filter(l -> l.startsWith("{")).count(), after.out());
        assertFalse(after.out().contains("\"leo\""), after.out());

        // analyze against the gallery topic: howard2 is howard, leonard2 is nobody now.
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.copy(portraits.resolve("howard/howard2.png"), photos.resolve("howard2.png"));
        Files.copy(portraits.resolve("leonard/leonard2.png"), photos.resolve("leonard2.png"));
        Path csv = dir.resolve("result.csv");
        Run analyze = run(new AnalyzeCommand(), cluster, photos.toString(), "-o", csv.toString());
        assertEquals(0, analyze.code(), analyze.out());
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
        String[] cluster = CommandRunner.cluster(kafka, "--set", "topics.prefix=sample.");
        TopicAdmin.ensureTopics(kafka.settings(),
                Topics.from(vap.core.config.Settings.of(Map.of("topics.prefix", "sample."))), 1, (short) 1);

        Run folder = run(new EnrollCommand(), cluster, "--folder", people.toString(), "--watchlist", "staff");
        assertEquals(0, folder.code(), folder.out());
        assertTrue(folder.out().contains("enrolled 2 of 2 identities"), folder.out());
        Run one = run(new EnrollCommand(), cluster, "--id", "p2", "--name", "Person two",
                dir.resolve("sample/portraits/p2/p2.png").toString());
        assertEquals(0, one.code(), one.out());
        Run list = run(new WatchlistCommand(), cluster);
        assertTrue(list.out().contains("3 identities") && list.out().contains("Person two"), list.out());
        assertEquals(0, run(new EraseCommand(), cluster, "p2").code());

        Path photos = Files.createDirectories(dir.resolve("sample/photos"));
        Files.copy(group, photos.resolve("group.png"));
        Path csv = dir.resolve("sample/result.csv");
        Run analyze = run(new AnalyzeCommand(), cluster, photos.toString(), "-o", csv.toString());
        assertEquals(0, analyze.code(), analyze.out());
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
}
