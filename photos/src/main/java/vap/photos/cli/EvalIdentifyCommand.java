package vap.photos.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import vap.photos.enrol.Enroller;
import vap.photos.eval.EmbeddingCache;
import vap.photos.eval.GalleryCohort;
import vap.photos.eval.Identification;
import vap.photos.eval.LfwPairs;
import vap.photos.eval.PhotoEmbeddings;
import vap.photos.eval.Verification;
import vap.photos.eval.WatchlistSplit;
import vap.recognizer.watchlist.ImpostorScores;
import vap.recognizer.watchlist.MatchThreshold;
import vap.recognizer.watchlist.WatchlistConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@code vap eval identify}: 1:N watchlist search on a labelled folder (README "Evaluation"). */
@Command(name = "identify", mixinStandardHelpOptions = true,
        description = {"1:N accuracy on a labelled folder (one sub-folder of photos per person): every other person with "
                + "more than k photos is enrolled from k of them, the rest probe singly and in groups of n photos "
                + "(fused like a track). Reports rank-1, FNIR at FPIR 1%% and 0.1%%, and the threshold for a target "
                + "FPIR at other watchlist sizes.",
                "  vap eval identify lfw/images --people-from lfw/pairsDevTest.txt --cache lfw-embeddings.tsv"})
public final class EvalIdentifyCommand implements Runnable {
    @Mixin
    EvalOptions eval;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "One sub-folder of photos per person (folder name = person).")
    Path folder;

    @Option(names = "--enrol", defaultValue = "1", paramLabel = "K", description = "Enrolment photos per person (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--group", split = ",", paramLabel = "N", description = "Probe group sizes (default: 1,2,3).")
    List<Integer> groups = List.of(1, 2, 3);

    @Option(names = "--template", defaultValue = "MEAN", description = "MEAN (re-normalised mean of the enrolment photos, what the watchlist holds) or MAX (best photo).")
    Identification.TemplateMode template;

    @Option(names = "--target-fpir", defaultValue = "0.01", description = "FPIR for the per-watchlist-size thresholds (default: ${DEFAULT-VALUE}).")
    double targetFpir;

    @Option(names = "--watchlist-sizes", split = ",", description = "Watchlist sizes to give thresholds for (default: 10,100,1000,10000).")
    List<Integer> sizes = List.of(10, 100, 1000, 10000);

    @Option(names = "--people-from", paramLabel = "PAIRS", description = "Only the people named in this LFW pairs file (e.g. pairsDevTrain.txt to tune, pairsDevTest.txt to report).")
    Path peopleFrom;

    @Option(names = "--max-people", paramLabel = "N", description = "Only the first N people in name order (a quicker, smaller run).")
    Integer maxPeople;

    @Option(names = "--photos-per-person", paramLabel = "M", description = "Only each person's first M photos in name order.")
    Integer photosPerPerson;

    @Option(names = "--cohort-norm", defaultValue = "NONE",
            description = "Score normalisation against the gallery's own impostor scores, computed at enrolment: NONE, Z "
                    + "((s - mean) / spread of the person's similarity to the rest of the gallery) or TOP (s - mean of "
                    + "the person's 10 highest). Normalised scores are not IP similarities: the configured threshold "
                    + "and the impostor table do not apply (default: ${DEFAULT-VALUE}).")
    GalleryCohort.Norm cohortNorm;

    @Option(names = "--write-impostors", paramLabel = "FILE",
            description = "Write the impostor score table (per probe group size) the watchlist's calibrated threshold reads (watchlist.impostor-scores).")
    Path writeImpostors;

    @Override
    public void run() {
        if (cohortNorm != GalleryCohort.Norm.NONE && writeImpostors != null) {
            throw new ParameterException(spec.commandLine(),
                    "--write-impostors writes raw IP scores: it cannot be combined with --cohort-norm");
        }
        Map<String, List<String>> people = new LinkedHashMap<>();
        Set<String> only = peopleFrom == null ? null : peopleIn(peopleFrom);
        List<Path> files = new ArrayList<>();
        Enroller.peopleIn(folder).forEach((dir, photos) -> {
            String name = dir.getFileName().toString();
            if ((only == null || only.contains(name)) && (maxPeople == null || people.size() < maxPeople)) {
                List<Path> used = photosPerPerson == null ? photos : photos.subList(0, Math.min(photos.size(), photosPerPerson));
                people.put(name, used.stream().map(p -> PhotoEmbeddings.key(folder, p)).toList());
                files.addAll(used);
            }
        });
        EmbeddingCache cache = eval.embed(folder, files);
        if (eval.cachedOnly) { // a partial report: only photos already embedded
            people.replaceAll((name, keys) -> keys.stream().filter(key -> cache.get(key).isPresent()).toList());
            people.values().removeIf(List::isEmpty);
            files.removeIf(f -> cache.get(PhotoEmbeddings.key(folder, f)).isEmpty());
        }
        Set<String> noFace = new TreeSet<>();
        files.forEach(f -> {
            String key = PhotoEmbeddings.key(folder, f);
            if (!cache.get(key).orElseThrow().found()) {
                noFace.add(key);
            }
        });
        MatchThreshold configured = MatchThreshold.of(WatchlistConfig.from(eval.settings()));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("people", people.size());
        report.put("photos", files.size());
        report.put("photosWithoutFace", noFace.size());
        report.put("enrolPhotosPerPerson", k);
        report.put("template", template.name());
        report.put("cohortNorm", cohortNorm.name());
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<Integer, ImpostorScores> tables = new TreeMap<>();
        for (int n : groups) {
            WatchlistSplit.Split split = WatchlistSplit.split(people, k, n, key -> cache.get(key).orElseThrow().embedding());
            Verification.FloatList impostors = new Verification.FloatList();
            List<Identification.Search> searches = Identification.search(split.gallery(), split.probes(), template,
                    GalleryCohort.of(split.gallery(), cohortNorm), impostors::add);
            float[] scores = impostors.toArray();
            // The configured threshold is an IP similarity: normalised scores cannot be held to it.
            float cut = cohortNorm == GalleryCohort.Norm.NONE ? configured.at(split.gallery().size(), n) : Float.NaN;
            rows.add(row(n, split, searches, scores, cut));
            if (scores.length > 0) {
                tables.put(n, ImpostorScores.of(scores));
            }
        }
        if (writeImpostors != null) {
            ImpostorScores.write(writeImpostors, tables, "vap eval identify " + folder.getFileName()
                    + (peopleFrom == null ? "" : " --people-from " + peopleFrom.getFileName()) + " --enrol " + k
                    + " --template " + template + (maxPeople == null ? "" : " --max-people " + maxPeople)
                    + (photosPerPerson == null ? "" : " --photos-per-person " + photosPerPerson));
            System.err.println("eval: impostor score table written to " + writeImpostors);
        }
        report.put("byGroupSize", rows);
        report.put("noFace", List.copyOf(noFace));
        if (eval.json) {
            System.out.println(EvalOptions.json(report));
        } else {
            printTable(report);
        }
    }

    private Map<String, Object> row(int n, WatchlistSplit.Split split, List<Identification.Search> searches,
                                    float[] impostors, float configured) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("groupSize", n);
        r.put("enrolled", split.gallery().size());
        r.put("matedProbes", searches.stream().filter(s -> s.probe().mated()).count());
        r.put("nonMatedProbes", searches.stream().filter(s -> !s.probe().mated()).count());
        r.put("rank1", Identification.rank1(searches));
        for (double fpir : new double[]{0.01, 0.001}) {
            float t = Identification.thresholdForFpir(searches, fpir);
            Map<String, Object> at = new LinkedHashMap<>();
            at.put("threshold", t);
            at.put("fpir", Identification.fpir(searches, t));
            at.put("fnir", Identification.fnir(searches, t));
            r.put(fpir == 0.01 ? "atFpir1pc" : "atFpir0.1pc", at);
        }
        r.put("configuredThreshold", configured);
        r.put("fpirAtConfigured", Float.isNaN(configured) ? Double.NaN : Identification.fpir(searches, configured));
        r.put("fnirAtConfigured", Float.isNaN(configured) ? Double.NaN : Identification.fnir(searches, configured));
        Map<String, Object> bySize = new LinkedHashMap<>();
        for (int size : sizes) {
            bySize.put(Integer.toString(size), impostors.length == 0 ? Float.NaN
                    : Identification.thresholdForWatchlist(impostors, targetFpir, size));
        }
        r.put("impostorComparisons", impostors.length);
        r.put("thresholdForTargetFpirBySize", bySize);
        return r;
    }

    @SuppressWarnings("unchecked")
    private void printTable(Map<String, Object> r) {
        System.out.printf("people %d, photos %d, photos without a face %d; enrolled from %d photo(s) each, template %s, cohort norm %s%n",
                r.get("people"), r.get("photos"), r.get("photosWithoutFace"), k, template, cohortNorm);
        System.out.printf("%-5s %8s %7s %8s %7s | %-26s | %-26s | %-22s%n", "group", "enrolled", "mated", "strangers",
                "rank-1", "FNIR at FPIR 1% (thr)", "FNIR at FPIR 0.1% (thr)", "watchlist threshold: FPIR/FNIR");
        for (Map<String, Object> row : (List<Map<String, Object>>) r.get("byGroupSize")) {
            Map<String, Object> a = (Map<String, Object>) row.get("atFpir1pc");
            Map<String, Object> b = (Map<String, Object>) row.get("atFpir0.1pc");
            System.out.printf("%-5d %8d %7d %8d %6.1f%% | %6.1f%% (%.4f, FPIR %4.2f%%) | %6.1f%% (%.4f, FPIR %4.2f%%) | %.4f: %5.1f%% / %5.1f%%%n",
                    row.get("groupSize"), row.get("enrolled"), row.get("matedProbes"), row.get("nonMatedProbes"),
                    100 * (double) row.get("rank1"), 100 * (double) a.get("fnir"), a.get("threshold"), 100 * (double) a.get("fpir"),
                    100 * (double) b.get("fnir"), b.get("threshold"), 100 * (double) b.get("fpir"),
                    row.get("configuredThreshold"), 100 * (double) row.get("fpirAtConfigured"), 100 * (double) row.get("fnirAtConfigured"));
        }
        System.out.printf("threshold for FPIR %.2f%% at watchlist size N (from %s single impostor comparisons per group size):%n",
                100 * targetFpir, "all");
        for (Map<String, Object> row : (List<Map<String, Object>>) r.get("byGroupSize")) {
            StringBuilder sb = new StringBuilder(String.format("  group %d (%d comparisons):", row.get("groupSize"), row.get("impostorComparisons")));
            ((Map<String, Object>) row.get("thresholdForTargetFpirBySize")).forEach((n, t) -> sb.append(String.format("  N=%s %.4f", n, t)));
            System.out.println(sb);
        }
        List<String> noFace = (List<String>) r.get("noFace");
        if (!noFace.isEmpty()) {
            System.out.println("no face found in:");
            noFace.forEach(f -> System.out.println("  " + f));
        }
    }

    private static Set<String> peopleIn(Path pairs) {
        Set<String> names = new HashSet<>();
        for (LfwPairs.Pair p : LfwPairs.read(pairs)) {
            names.add(p.a().substring(0, p.a().indexOf('/')));
            names.add(p.b().substring(0, p.b().indexOf('/')));
        }
        return names;
    }
}
