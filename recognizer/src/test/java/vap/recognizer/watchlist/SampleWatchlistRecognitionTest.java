package vap.recognizer.watchlist;

import ai.djl.Device;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.core.config.Settings;
import vap.recognizer.SampleFaces;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without ../shared: the three people of sample1.jpg enrolled from the photo as it is, searched with the photo
 * turned and scaled (other pixels), and the people of two other sample photos as strangers.
 */
class SampleWatchlistRecognitionTest {
    static FaceEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = new FaceEmbedder(new FaceEmbeddingNet(Device.cpu()), 8);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    static List<float[]> embed(List<SampleFaces.Face> faces) {
        return embedder.embed(faces.stream().map(SampleFaces.Face::aligned).toList());
    }

    @Test
    void enrolledPeopleAreFoundAndStrangersAreNot() {
        List<float[]> enrolled = embed(SampleFaces.faces("sample1.jpg"));
        List<float[]> probes = embed(SampleFaces.faces("sample1.jpg", -12, 0.4));
        List<float[]> strangers = new ArrayList<>(embed(SampleFaces.faces("sample2.jpg")));
        strangers.addAll(embed(SampleFaces.faces("sample5.jpg")));
        for (WatchlistConfig config : List.of(WatchlistConfig.defaults(),
                WatchlistConfig.from(Settings.of(Map.of("watchlist.metric", "L2"))))) {
            try (Watchlist w = new Watchlist(config)) {
                for (int i = 0; i < enrolled.size(); i++) {
                    w.put(Watchlist.identityOf(Watchlist.entry("p" + i, "Person " + i, "test", List.of(enrolled.get(i)))));
                }
                List<List<Candidate>> found = w.search(probes);
                for (int i = 0; i < probes.size(); i++) {
                    Candidate best = found.get(i).get(0);
                    assertEquals("p" + i, best.identity().identityId(), config.metric() + " rank-1 of face " + i);
                    assertTrue(best.passes(), config.metric() + " face " + i + " passes: score " + best.score());
                    String id = "p" + i;
                    long others = found.get(i).stream().filter(c -> c.passes() && !c.identity().identityId().equals(id)).count();
                    assertEquals(0, others, "false matches for face " + i);
                }
                for (List<Candidate> cs : w.search(strangers)) {
                    assertTrue(cs.stream().noneMatch(Candidate::passes), config.metric() + " stranger matched: " + cs);
                }
            }
        }
    }
}
