package vap.recognizer.watchlist;

import vap.recognizer.embed.EmbedConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often a stranger's face scores at least s against one enrolled person (IP similarity of unit embeddings):
 * the upper tail of the impostor score distribution, as (tail fraction, score) points at log-spaced fractions,
 * one curve per number of fused faces of the probe (a track's mean of n crops scores strangers differently from
 * one crop). The watchlist turns it into a threshold: for a target FPIR at watchlist size N each comparison may
 * pass with probability 1 - (1 - FPIR)^(1/N). Between points the score is interpolated linearly in log(fraction);
 * beyond the last point (rarer than the data can show) it is extrapolated linearly along the last decade, which
 * overstates the threshold of a Gaussian-like tail: the error is on the side of fewer alarms.
 * The shipped tables ({@code impostor-scores-<landmarks>[-mirror].tsv} in this package, one per way of embedding,
 * since the chip's alignment and mirror averaging move the impostor scores) and their provenance are in the README.
 */
public final class ImpostorScores {
    /** One curve: tail fractions descending, the score each is reached at, ascending. */
    private record Curve(double[] fractions, float[] scores) {
    }

    /** A tail point rests on at least this many scores; rarer fractions are extrapolated (one score is noise). */
    static final int MIN_ABOVE = 3;
    /** Extrapolation follows the slope over the last this-many points (a decade at 4 points per decade). */
    private static final int SLOPE_SPAN = 4;
    private final TreeMap<Integer, Curve> byFaces;

    private ImpostorScores(TreeMap<Integer, Curve> byFaces) {
        if (byFaces.isEmpty()) {
            throw new IllegalArgumentException("an impostor score table needs at least one curve");
        }
        this.byFaces = byFaces;
    }

    /** The table shipped with the recognizer for the default way of embedding (README "Recognition accuracy"). */
    public static ImpostorScores defaults() {
        return shipped(EmbedConfig.defaults());
    }

    /** The table shipped for faces embedded as {@code embedding} says (measured on LFW DevTrain that way). */
    public static ImpostorScores shipped(EmbedConfig embedding) {
        String name = resourceName(embedding);
        try (InputStream in = ImpostorScores.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the recognizer jar");
            }
            return read(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
    }

    /** {@code impostor-scores-5.tsv}, {@code impostor-scores-68-mirror.tsv}, ...: one table per embedding setting. */
    static String resourceName(EmbedConfig embedding) {
        return "impostor-scores-" + embedding.landmarks() + (embedding.mirror() ? "-mirror" : "") + ".tsv";
    }

    public static ImpostorScores read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /** One curve (for single faces) from raw impostor comparison scores. */
    public static ImpostorScores of(float[] scores) {
        return new ImpostorScores(new TreeMap<>(Map.of(1, curve(scores))));
    }

    /** The curve of {@code scores}: points at fractions 10^(-i/4) down to the rarest the sample can show (one score). */
    static Curve curve(float[] scores) {
        if (scores.length < 2) {
            throw new IllegalArgumentException("an impostor curve needs at least 2 scores, got " + scores.length);
        }
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        List<Double> fs = new ArrayList<>();
        List<Float> ss = new ArrayList<>();
        for (int i = 1; ; i++) {
            double f = Math.pow(10, -i / 4.0);
            int above = (int) Math.floor(f * sorted.length);
            if (above < MIN_ABOVE) {
                break;
            }
            fs.add(f);
            ss.add(sorted[sorted.length - above]); // the lowest of the top `above` scores: that many pass at it
        }
        double[] fractions = fs.stream().mapToDouble(Double::doubleValue).toArray();
        float[] out = new float[ss.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ss.get(i);
        }
        return new Curve(fractions, out);
    }

    /** The score a fraction {@code tail} of impostor comparisons reach, for probes fused from {@code faces} crops. */
    public float scoreAt(double tail, int faces) {
        Map.Entry<Integer, Curve> e = byFaces.floorEntry(Math.max(1, faces));
        Curve c = (e != null ? e : byFaces.firstEntry()).getValue();
        double[] f = c.fractions();
        float[] s = c.scores();
        if (f.length == 1) {
            return s[0];
        }
        double x = Math.log(tail);
        int last = f.length - 1;
        if (tail < f[last]) { // rarer than the data shows: along the slope of the last decade
            int from = Math.max(0, last - SLOPE_SPAN);
            double slope = (s[last] - s[from]) / (Math.log(f[last]) - Math.log(f[from]));
            return (float) Math.min(1.0, s[last] + slope * (x - Math.log(f[last])));
        }
        int i = 1;
        while (i < last && tail < f[i]) {
            i++;
        }
        double x0 = Math.log(f[i - 1]);
        double x1 = Math.log(f[i]);
        return (float) Math.min(1.0, s[i - 1] + (s[i] - s[i - 1]) * (x - x0) / (x1 - x0));
    }

    public static ImpostorScores read(InputStream in, String source) throws IOException {
        TreeMap<Integer, List<double[]>> rows = new TreeMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw new IllegalArgumentException(source + ": expected 'faces fraction score', got: " + line);
            }
            rows.computeIfAbsent(Integer.parseInt(f[0]), k -> new ArrayList<>())
                    .add(new double[]{Double.parseDouble(f[1]), Double.parseDouble(f[2])});
        }
        TreeMap<Integer, Curve> curves = new TreeMap<>();
        rows.forEach((faces, points) -> {
            points.sort((a, b) -> Double.compare(b[0], a[0]));
            double[] fr = points.stream().mapToDouble(p -> p[0]).toArray();
            float[] sc = new float[points.size()];
            for (int i = 0; i < sc.length; i++) {
                sc[i] = (float) points.get(i)[1];
            }
            curves.put(faces, new Curve(fr, sc));
        });
        return new ImpostorScores(curves);
    }

    /** Writes one curve per fused-face count, with a comment saying where the scores came from. */
    public static void write(Path file, Map<Integer, ImpostorScores> byFaces, String provenance) {
        StringBuilder sb = new StringBuilder("# impostor score tail: faces<TAB>fraction of comparisons at or above<TAB>score (IP)\n");
        sb.append("# from: ").append(provenance).append('\n');
        byFaces.forEach((faces, table) -> {
            Curve c = table.byFaces.firstEntry().getValue();
            for (int i = 0; i < c.fractions().length; i++) {
                sb.append(String.format(Locale.ROOT, "%d\t%.6g\t%.5f%n", faces, c.fractions()[i], c.scores()[i]));
            }
        });
        try {
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
