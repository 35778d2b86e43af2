package vap.photos.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.photos.eval.EmbeddingCache;
import vap.photos.eval.LfwPairs;
import vap.photos.eval.Verification;
import vap.recognizer.embed.Embeddings;
import vap.recognizer.watchlist.MatchThreshold;
import vap.recognizer.watchlist.WatchlistConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code vap eval verify}: 1:1 verification on an LFW-format pairs file (README "Evaluation"). */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verification accuracy on an LFW-format pairs file: 10-fold accuracy (threshold chosen on 9 folds, "
                + "tested on the 10th), TAR at FAR 1%% and 0.1%%, ROC points, photos where no face was found "
                + "(their pairs count as \"different\").",
                "  vap eval verify --pairs lfw/pairsDevTest.txt --images lfw/images --cache lfw-embeddings.tsv"})
public final class EvalVerifyCommand implements Runnable {
    @Mixin
    EvalOptions eval;

    @Option(names = "--pairs", required = true, paramLabel = "FILE", description = "LFW-format pairs file.")
    Path pairsFile;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Image root: DIR/<Name>/<Name>_NNNN.jpg.")
    Path images;

    @Override
    public void run() {
        List<LfwPairs.Pair> pairs = LfwPairs.read(pairsFile);
        Set<String> photos = new LinkedHashSet<>();
        pairs.forEach(p -> {
            photos.add(p.a());
            photos.add(p.b());
        });
        List<Path> files = photos.stream().map(images::resolve).toList();
        EmbeddingCache cache = eval.embed(images, files);
        Set<String> noFace = new TreeSet<>();
        List<Verification.Scored> scored = new ArrayList<>();
        int unscored = 0;
        int skipped = 0;
        for (LfwPairs.Pair p : pairs) {
            if (cache.get(p.a()).isEmpty() || cache.get(p.b()).isEmpty()) {
                skipped++; // --cached-only: not embedded yet
                continue;
            }
            EmbeddingCache.Entry a = cache.get(p.a()).orElseThrow();
            EmbeddingCache.Entry b = cache.get(p.b()).orElseThrow();
            if (!a.found()) {
                noFace.add(p.a());
            }
            if (!b.found()) {
                noFace.add(p.b());
            }
            boolean both = a.found() && b.found();
            unscored += both ? 0 : 1;
            float score = both ? (float) Embeddings.dot(a.embedding(), b.embedding()) : Float.NaN;
            scored.add(new Verification.Scored(score, p.same(), p.fold()));
        }
        if (skipped > 0) {
            System.err.printf("eval: %d of %d pairs skipped (photos not embedded): a PARTIAL report%n", skipped, pairs.size());
        }
        Map<String, Object> report = report(scored.size(), (int) photos.stream().filter(k -> cache.get(k).isPresent()).count(), scored, noFace, unscored,
                MatchThreshold.of(WatchlistConfig.from(eval.settings())).at(1, 1));
        if (eval.json) {
            System.out.println(EvalOptions.json(report));
        } else {
            printTable(report, noFace);
        }
    }

    static Map<String, Object> report(int pairCount, int photoCount, List<Verification.Scored> scored, Set<String> noFace,
                                      int unscored, float configuredThreshold) {
        Verification.Folds folds = Verification.tenFold(scored, LfwPairs.FOLDS);
        List<Verification.Scored> both = scored.stream().filter(s -> !Float.isNaN(s.score())).toList();
        Verification.Folds foldsBoth = Verification.tenFold(both, LfwPairs.FOLDS);
        float best = Verification.bestThreshold(scored);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("pairs", pairCount);
        r.put("photos", photoCount);
        r.put("photosWithoutFace", noFace.size());
        r.put("pairsWithoutFace", unscored);
        r.put("accuracy10Fold", folds.meanAccuracy());
        r.put("accuracy10FoldStd", folds.stdAccuracy());
        r.put("foldThresholds", folds.thresholds());
        r.put("accuracy10FoldBothFound", foldsBoth.meanAccuracy());
        r.put("bestThresholdAllPairs", best);
        r.put("accuracyAtBestThresholdAllPairs", Verification.accuracy(scored, best));
        List<Map<String, Object>> roc = new ArrayList<>();
        for (double far : new double[]{0.1, 0.05, 0.01, 0.001}) {
            roc.add(point(Verification.atFar(scored, far)));
        }
        r.put("roc", roc);
        r.put("atConfiguredThreshold", point(Verification.point(scored, Double.NaN, configuredThreshold)));
        r.put("accuracyAtConfiguredThreshold", Verification.accuracy(scored, configuredThreshold));
        r.put("noFace", List.copyOf(noFace));
        return r;
    }

    private static Map<String, Object> point(Verification.RocPoint p) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!Double.isNaN(p.targetFar())) {
            m.put("targetFar", p.targetFar());
        }
        m.put("threshold", p.threshold());
        m.put("far", p.far());
        m.put("tar", p.tar());
        m.put("impostorsAbove", p.impostorsAbove());
        m.put("impostors", p.impostors());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void printTable(Map<String, Object> r, Set<String> noFace) {
        System.out.printf("pairs %d, photos %d, photos without a face %d (%.2f%%), pairs counted \"different\" for it %d%n",
                r.get("pairs"), r.get("photos"), r.get("photosWithoutFace"),
                100.0 * (int) r.get("photosWithoutFace") / (int) r.get("photos"), r.get("pairsWithoutFace"));
        System.out.printf("10-fold accuracy              %6.2f%% +- %.2f  (threshold chosen on 9 folds, tested on the 10th)%n",
                100 * (double) r.get("accuracy10Fold"), 100 * (double) r.get("accuracy10FoldStd"));
        System.out.printf("  only pairs with both faces  %6.2f%%%n", 100 * (double) r.get("accuracy10FoldBothFound"));
        System.out.printf("best threshold on all pairs   IP %.4f (accuracy %.2f%%, chosen on these pairs: optimistic)%n",
                r.get("bestThresholdAllPairs"), 100 * (double) r.get("accuracyAtBestThresholdAllPairs"));
        System.out.println("target FAR   threshold   FAR       TAR");
        for (Map<String, Object> p : (List<Map<String, Object>>) r.get("roc")) {
            System.out.printf("%8.1f%%   %9.4f   %6.2f%%   %6.2f%%   (%d of %d impostor pairs pass)%n",
                    100 * (double) p.get("targetFar"), p.get("threshold"), 100 * (double) p.get("far"),
                    100 * (double) p.get("tar"), p.get("impostorsAbove"), p.get("impostors"));
        }
        Map<String, Object> c = (Map<String, Object>) r.get("atConfiguredThreshold");
        System.out.printf("watchlist threshold for 1 identity IP %.4f: FAR %.2f%%, TAR %.2f%%, accuracy %.2f%%%n", c.get("threshold"),
                100 * (double) c.get("far"), 100 * (double) c.get("tar"), 100 * (double) r.get("accuracyAtConfiguredThreshold"));
        if (!noFace.isEmpty()) {
            System.out.println("no face found in:");
            noFace.forEach(f -> System.out.println("  " + f));
        }
    }
}
