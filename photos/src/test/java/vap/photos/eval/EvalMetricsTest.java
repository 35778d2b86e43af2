package vap.photos.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The eval metrics on tiny hand-made sets whose answers are known exactly (no photos, no models). */
class EvalMetricsTest {

    private static Verification.Scored pair(float score, boolean same, int fold) {
        return new Verification.Scored(score, same, fold);
    }

    @Test
    void tenFoldAccuracyChoosesEachFoldsThresholdOnTheOtherNine() {
        // 1. Ten folds, each with one genuine pair at 0.9 and one impostor at 0.5: any threshold between separates them.
        List<Verification.Scored> pairs = new ArrayList<>();
        for (int f = 0; f < 10; f++) {
            pairs.add(pair(0.9f, true, f));
            pairs.add(pair(0.5f, false, f));
        }
        // 2. Fold 0's impostor scores 0.95 instead: it is wrong in fold 0 only, and cannot move the other folds' threshold.
        pairs.set(1, pair(0.95f, false, 0));
        Verification.Folds folds = Verification.tenFold(pairs, 10);
        assertEquals(0.5, folds.accuracies()[0], 1e-12);
        for (int f = 1; f < 10; f++) {
            assertEquals(1.0, folds.accuracies()[f], 1e-12, "fold " + f);
        }
        assertEquals(0.95, folds.meanAccuracy(), 1e-12);
        // 3. Thresholds are midpoints: 0.7 between 0.5 and 0.9 wherever fold 0 is in training the best is still 0.7
        //    (9 right of 10 impostors below it beats moving above 0.95 and losing every genuine pair).
        assertEquals(0.7f, folds.thresholds()[0], 1e-6f);
        assertEquals(0.7f, folds.thresholds()[5], 1e-6f);
    }

    @Test
    void aPairWithoutAFaceIsDecidedDifferent() {
        List<Verification.Scored> pairs = List.of(pair(Float.NaN, true, 0), pair(Float.NaN, false, 0),
                pair(0.9f, true, 0), pair(0.2f, false, 0));
        // The genuine pair without a face is always wrong, the impostor one always right: 3 of 4 at any threshold.
        assertEquals(0.75, Verification.accuracy(pairs, 0.5f), 1e-12);
        assertEquals(0.75, Verification.accuracy(pairs, 0.85f), 1e-12);
    }

    @Test
    void tarAtFarAllowsFloorOfFarTimesImpostorsAboveTheThreshold() {
        // 1. 200 impostors scored 0.000 .. 0.199, 10 genuine pairs scored 0.15, 0.16, ..., 0.24.
        List<Verification.Scored> pairs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            pairs.add(pair(i / 1000f, false, 0));
        }
        for (int i = 0; i < 10; i++) {
            pairs.add(pair(0.15f + i / 100f, true, 0));
        }
        // 2. FAR 1%: 2 impostors may pass (0.199, 0.198); the threshold sits just above 0.197.
        Verification.RocPoint p = Verification.atFar(pairs, 0.01);
        assertEquals(2, p.impostorsAbove());
        assertEquals(0.01, p.far(), 1e-12);
        assertEquals(0.197f, Math.nextDown(p.threshold()), 0f);
        // Genuine 0.20 .. 0.24 pass (5 of 10); 0.19 does not.
        assertEquals(0.5, p.tar(), 1e-12);
        // 3. FAR 0.1% of 200 impostors allows none: above the top impostor 0.199, so 0.20..0.24 still pass.
        Verification.RocPoint q = Verification.atFar(pairs, 0.001);
        assertEquals(0, q.impostorsAbove());
        assertEquals(0.5, q.tar(), 1e-12);
    }

    @Test
    void lfwPairsFoldsComeFromTheHeader() {
        List<LfwPairs.Pair> view2 = LfwPairs.parse(List.of("2 1", "A\t1\t2", "B\t1\tC\t3", "D\t2\t4", "E\t1\tF\t1"), "test");
        assertEquals(List.of(0, 0, 1, 1), view2.stream().map(LfwPairs.Pair::fold).toList());
        assertEquals("B/B_0001.jpg", view2.get(1).a());
        assertEquals("C/C_0003.jpg", view2.get(1).b());
        List<String> dev = new ArrayList<>(List.of("12"));
        for (int i = 0; i < 12; i++) {
            dev.add("A\t1\t2");
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1), LfwPairs.parse(dev, "test").stream().map(LfwPairs.Pair::fold).toList());
    }

    /** A unit vector at angle a (radians) in the plane of the first two axes of 128-d space. */
    private static float[] at(double a) {
        float[] v = new float[128];
        v[0] = (float) Math.cos(a);
        v[1] = (float) Math.sin(a);
        return v;
    }

    @Test
    void identificationOnAKnownGallery() {
        // 1. People in name order: ann (3 photos), bob (1), cat (3), dan (3), eve (2). Enrolling 1 photo each, the
        //    eligible people (more than 1 photo) are ann, cat, dan, eve; ann and dan are enrolled, cat and eve are
        //    strangers, bob (one photo) too.
        Map<String, float[]> e = new LinkedHashMap<>();
        e.put("ann/1", at(0.0));
        e.put("ann/2", at(0.05));   // close to ann: a hit with score cos(0.05)
        e.put("ann/3", null);       // no face: a miss at every threshold
        e.put("bob/1", at(1.0));    // a stranger near nobody: top score cos(1.0) against dan? dan is at 1.5: cos(0.5)
        e.put("cat/1", at(0.3));    // a stranger close to ann: top score cos(0.3)
        e.put("cat/2", at(2.0));    //   and near dan: cos(0.5)
        e.put("cat/3", at(3.0));
        e.put("dan/1", at(1.5));
        e.put("dan/2", at(0.1));    // dan's probe that looks like ann: rank-1 wrong
        e.put("dan/3", at(1.6));    // a hit with cos(0.1)
        e.put("eve/1", at(-1.0));
        e.put("eve/2", at(-1.2));
        Map<String, List<String>> people = new LinkedHashMap<>();
        for (String key : e.keySet()) {
            people.computeIfAbsent(key.substring(0, 3), p -> new ArrayList<>()).add(key);
        }
        WatchlistSplit.Split split = WatchlistSplit.split(people, 1, 1, e::get);
        assertEquals(List.of("ann", "dan"), split.gallery().stream().map(Identification.Template::person).toList());
        List<Identification.Search> s = Identification.search(split.gallery(), split.probes(), Identification.TemplateMode.MEAN, null);
        // 2. Mated probes: ann/2, ann/3, dan/2, dan/3 (4); non-mated: bob/1, cat/1..3, eve/1..2 (6).
        assertEquals(4, s.stream().filter(x -> x.probe().mated()).count());
        assertEquals(6, s.stream().filter(x -> !x.probe().mated()).count());
        // 3. Rank-1: ann/2 and dan/3 right, dan/2 wrong (ann's), ann/3 has no face: 2 of 4.
        assertEquals(0.5, Identification.rank1(s), 1e-12);
        assertNull(s.stream().filter(x -> x.probe().embedding() == null).findFirst().orElseThrow().top());
        // 4. Non-mated top scores: bob cos(0.5), cat/1 cos(0.3), cat/2 cos(0.5), cat/3 cos(1.5), eve/1 cos(1.0), eve/2 cos(1.2).
        //    At threshold cos(0.4): cat/1 alarms (1 of 6); ann/2 (cos 0.05) and dan/3 (cos 0.1) hit: FNIR 2 of 4.
        float t = (float) Math.cos(0.4);
        assertEquals(1.0 / 6, Identification.fpir(s, t), 1e-12);
        assertEquals(0.5, Identification.fnir(s, t), 1e-12);
        // 5. FPIR 20% allows floor(0.2 x 6) = 1 alarm: the threshold is just above the 2nd highest top score, cos(0.5).
        float t20 = Identification.thresholdForFpir(s, 0.2);
        assertEquals((float) Math.cos(0.5), t20, 1e-6f);
        assertEquals(1.0 / 6, Identification.fpir(s, t20), 1e-12);
    }

    @Test
    void groupsFuseConsecutiveFoundPhotosAndDropTheRemainder() {
        Map<String, float[]> e = new LinkedHashMap<>();
        e.put("ann/1", at(0.0));
        e.put("ann/2", at(0.2));
        e.put("ann/3", null);
        e.put("ann/4", at(0.4));
        e.put("ann/5", at(0.6));
        e.put("ann/6", at(0.8));
        Map<String, List<String>> people = Map.of("ann", List.copyOf(e.keySet()));
        WatchlistSplit.Split split = WatchlistSplit.split(people, 1, 2, e::get);
        // Probes ann/2, ann/4, ann/5, ann/6 have faces: groups (2,4) and (5,6), fused at angles 0.3 and 0.7.
        assertEquals(2, split.probes().size());
        assertArrayEquals(at(0.3), split.probes().get(0).embedding(), 1e-6f);
        assertArrayEquals(at(0.7), split.probes().get(1).embedding(), 1e-6f);
        assertTrue(split.probes().stream().allMatch(Identification.Probe::mated));
    }

    @Test
    void watchlistThresholdIsTheQuantileForOneMinusTheNthRootOfOneMinusFpir() {
        // FPIR 1% at N = 1 is a per-comparison FAR of 1%; at N = 100 it is 1 - 0.99^(1/100) = 1.004983e-4.
        assertEquals(0.01, Identification.perComparisonFar(0.01, 1), 1e-15);
        assertEquals(1.004983e-4, Identification.perComparisonFar(0.01, 100), 1e-9);
        float[] scores = new float[1000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i / 1000f;
        }
        // N = 1: 10 of 1000 may pass: just above 0.989. N = 100: floor(0.1005) = 0 may pass: just above 0.999.
        assertEquals(0.989f, Math.nextDown(Identification.thresholdForWatchlist(scores, 0.01, 1)), 0f);
        assertEquals(0.999f, Math.nextDown(Identification.thresholdForWatchlist(scores, 0.01, 100)), 0f);
    }
    @Test
    void galleryCohortNormalisesEachPersonsScoresByTheirSimilarityToTheRestOfTheGallery() {
        // 1. ann at 0 and bob at 0.2 resemble each other; cat at 1.2 is alone.
        List<Identification.Template> gallery = List.of(new Identification.Template("ann", List.of(at(0.0))),
                new Identification.Template("bob", List.of(at(0.2))), new Identification.Template("cat", List.of(at(1.2))));
        double bobMean = (Math.cos(0.2) + Math.cos(1.0)) / 2;
        double catMean = (Math.cos(1.2) + Math.cos(1.0)) / 2;
        // 2. Z: (s - mean) / sample spread of the two others; with two values the spread is |a - b| / sqrt(2).
        GalleryCohort z = GalleryCohort.of(gallery, GalleryCohort.Norm.Z);
        double catSpread = Math.abs(Math.cos(1.2) - Math.cos(1.0)) / Math.sqrt(2);
        assertEquals((0.9 - catMean) / catSpread, z.normalise("cat", 0.9f), 1e-4);
        // 3. TOP: s minus the mean of the (here only 2) highest; NONE leaves the score alone.
        GalleryCohort top = GalleryCohort.of(gallery, GalleryCohort.Norm.TOP);
        assertEquals(0.9 - bobMean, top.normalise("bob", 0.9f), 1e-6);
        assertEquals(0.9f, GalleryCohort.of(gallery, GalleryCohort.Norm.NONE).normalise("bob", 0.9f));
        // 4. A probe at 0.65 is raw-closest to bob (cos 0.45 > cos 0.55), but bob's neighbourhood is crowded:
        //    normalised, cat (alone) is its top candidate, with cos(0.55) - cat's mean.
        List<Identification.Probe> probe = List.of(new Identification.Probe("cat", true, at(0.65)));
        Identification.Search raw = Identification.search(gallery, probe, Identification.TemplateMode.MEAN, null).get(0);
        assertEquals("bob", raw.top());
        Identification.Search normalised = Identification.search(gallery, probe, Identification.TemplateMode.MEAN, top, null).get(0);
        assertEquals("cat", normalised.top());
        assertEquals(Math.cos(0.55) - catMean, normalised.topScore(), 1e-6);
        assertEquals(normalised.topScore(), normalised.mateScore());
    }
}
