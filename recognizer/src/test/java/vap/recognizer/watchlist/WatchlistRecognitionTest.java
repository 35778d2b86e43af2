package vap.recognizer.watchlist;

import ai.djl.Device;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vap.core.config.Settings;
import vap.testsupport.SharedTestData;
import vap.recognizer.embed.Embeddings;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared identities (5 people x 5 aligned crops): enrol each person from their first photo, search with the
 * other four. Reports rank-1 and, at the default thresholds, true and false matches for both metrics.
 */
class WatchlistRecognitionTest {
    static FaceEmbedder embedder;
    static Map<String, List<float[]>> embeddings = new LinkedHashMap<>();

    @BeforeAll
    static void embedAll() throws IOException {
        Path root = SharedTestData.faces().resolve("identities");
        embedder = new FaceEmbedder(new FaceEmbeddingNet(Device.cpu()), 8);
        try (Stream<Path> people = Files.list(root)) {
            for (Path person : people.sorted().toList()) {
                List<Mat> photos = new ArrayList<>();
                try (Stream<Path> files = Files.list(person)) {
                    files.sorted().forEach(f -> photos.add(SharedTestData.bgr(f)));
                }
                embeddings.put(person.getFileName().toString(), embedder.embed(photos));
            }
        }
    }

    @AfterAll
    static void close() {
        if (embedder != null) { // null when the setup was skipped for want of ../shared
            embedder.close();
        }
    }

    /** Result of enrolling photo 1 and probing with photos 2..5. */
    record Outcome(int probes, int rank1, int trueMatches, int falseMatches) {
    }

    static Outcome run(Map<String, List<float[]>> embeddings, WatchlistConfig config) {
        int probes = 0;
        int rank1 = 0;
        int trueMatches = 0;
        int falseMatches = 0;
        try (Watchlist w = new Watchlist(config)) {
            embeddings.forEach((name, es) -> w.put(Watchlist.identityOf(Watchlist.entry(name, name, "test", List.of(es.get(0))))));
            for (Map.Entry<String, List<float[]>> e : embeddings.entrySet()) {
                List<float[]> others = e.getValue().subList(1, e.getValue().size());
                List<List<Candidate>> found = w.search(others);
                for (List<Candidate> cs : found) {
                    probes++;
                    boolean right = cs.get(0).identity().identityId().equals(e.getKey());
                    rank1 += right ? 1 : 0;
                    for (Candidate c : cs) {
                        if (c.passes()) {
                            if (c.identity().identityId().equals(e.getKey())) {
                                trueMatches++;
                            } else {
                                falseMatches++;
                            }
                        }
                    }
                }
            }
        }
        return new Outcome(probes, rank1, trueMatches, falseMatches);
    }

    @Test
    void enrolledFromOnePhotoTheyAreFoundFromTheirOthers() {
        Outcome ip = run(embeddings, WatchlistConfig.defaults());
        Outcome l2 = run(embeddings, WatchlistConfig.from(Settings.of(Map.of("watchlist.metric", "L2"))));
        System.out.printf("identities, whole aligned crops: IP threshold %.2f -> rank-1 %d/%d, true matches %d/%d, "
                        + "false matches %d of %d impostor comparisons; L2 threshold %.2f -> rank-1 %d/%d, true %d, false %d%n",
                WatchlistConfig.DEFAULT_IP_THRESHOLD, ip.rank1, ip.probes, ip.trueMatches, ip.probes, ip.falseMatches,
                ip.probes * (embeddings.size() - 1), WatchlistConfig.DEFAULT_L2_THRESHOLD, l2.rank1, l2.probes,
                l2.trueMatches, l2.falseMatches);
        printPairStatistics();
        assertEquals(20, ip.probes);
        assertTrue(ip.rank1 >= 19, "rank-1 " + ip.rank1 + "/20");
        assertEquals(ip.rank1, l2.rank1, "IP and L2 rank unit vectors identically");
        assertTrue(ip.trueMatches >= 18, "true matches at the default threshold: " + ip.trueMatches);
        assertEquals(0, ip.falseMatches, "false matches at the default threshold");
        assertEquals(ip.trueMatches, l2.trueMatches, "the L2 default threshold is the IP one converted");
        assertEquals(0, l2.falseMatches);
    }

    static void printPairStatistics() {
        List<String> names = new ArrayList<>(embeddings.keySet());
        double minSame = 1;
        double maxOther = -1;
        for (int a = 0; a < names.size(); a++) {
            for (int b = a; b < names.size(); b++) {
                for (float[] x : embeddings.get(names.get(a))) {
                    for (float[] y : embeddings.get(names.get(b))) {
                        double s = Embeddings.dot(x, y);
                        if (a == b && s < 0.9999) {
                            minSame = Math.min(minSame, s);
                        } else if (a != b) {
                            maxOther = Math.max(maxOther, s);
                        }
                    }
                }
            }
        }
        List<Double> same = new ArrayList<>();
        List<Double> other = new ArrayList<>();
        for (String n : names) {
            float[] enrolled = embeddings.get(n).get(0);
            for (String m : names) {
                for (float[] probe : embeddings.get(m).subList(1, 5)) {
                    (n.equals(m) ? same : other).add(Embeddings.dot(enrolled, probe));
                }
            }
        }
        same.sort(null);
        other.sort(null);
        System.out.println("enrolled-vs-probe genuine similarities (lowest 6): " + same.subList(0, 6));
        System.out.println("enrolled-vs-probe impostor similarities (highest 6): " + other.subList(other.size() - 6, other.size()));
        System.out.printf("all pairs: lowest same-person similarity %.3f, highest different-person similarity %.3f%n",
                minSame, maxOther);
    }
}
