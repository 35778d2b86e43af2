package vap.recognizer.watchlist;

import org.junit.jupiter.api.Test;
import vap.recognizer.embed.Embeddings;
import vap.testsupport.RandomVectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A person enrolled from several photos: the template is their re-normalised mean, and decisions use it. */
class TemplateEnrolmentTest {
    static final int D = WatchlistConfig.DIMENSION;

    /** {@code centre} plus noise of the given size, re-normalised: one "photo" of the person. */
    private static float[] photo(float[] centre, float[] noise, float size) {
        float[] v = new float[D];
        for (int i = 0; i < D; i++) {
            v[i] = centre[i] + size * noise[i];
        }
        return Embeddings.normalised(v);
    }

    @Test
    void aTemplateOfThreePhotosIsTheirMeanAndMatchesAFusedProbeBetterThanAnyOnePhoto() {
        float[] r = RandomVectors.unit(8, D, 11);
        float[] centre = Arrays.copyOfRange(r, 0, D);
        List<float[]> photos = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            photos.add(photo(centre, Arrays.copyOfRange(r, i * D, (i + 1) * D), 0.8f));
        }
        // 1. Enrol from three photos: the identity holds their re-normalised mean, counted as 3 photos.
        Identity alice = Watchlist.identityOf(Watchlist.entry("alice", "Alice", "vip", photos));
        assertEquals(3, alice.photos());
        float[] mean = Embeddings.meanOf(photos);
        for (int i = 0; i < D; i++) {
            assertEquals(mean[i], alice.embedding()[i], 1e-6f);
        }
        // 2. A new photo's score is higher against the template than against the average single photo: the noise averages out.
        float[] probe = photo(centre, Arrays.copyOfRange(r, 4 * D, 5 * D), 0.8f);
        double template = Embeddings.dot(alice.embedding(), probe);
        double single = photos.stream().mapToDouble(p -> Embeddings.dot(p, probe)).average().orElseThrow();
        assertTrue(template > single, "template " + template + " vs single photos " + single);
        // 3. The watchlist decides on a fused track (mean of 3 probes) with the threshold for 3 fused faces.
        try (Watchlist w = new Watchlist(WatchlistConfig.defaults())) {
            w.put(alice);
            for (int i = 0; i < 20; i++) { // strangers, so the watchlist is not one person
                String id = "stranger-" + i;
                w.put(new Identity(id, id, "vip", Watchlist.indexIdOf(id),
                        Arrays.copyOf(RandomVectors.unit(1, D, 100 + i), D), 1, alice.enrolledAt()));
            }
            float[] track = Embeddings.meanOf(List.of(probe, photo(centre, Arrays.copyOfRange(r, 5 * D, 6 * D), 0.8f),
                    photo(centre, Arrays.copyOfRange(r, 6 * D, 7 * D), 0.8f)));
            Decision d = w.decide(track, 3);
            assertEquals("alice", d.best().identity().identityId());
            assertEquals(w.threshold(3), d.threshold());
            assertEquals(3, d.faces());
            assertEquals(d.score() >= d.threshold(), d.matched());
            assertEquals((float) Embeddings.dot(alice.embedding(), track), d.score(), 1e-5f);
        }
    }
}
