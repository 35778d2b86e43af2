package vap.photos.evaldetect;

import java.io.PrintStream;
import java.util.Locale;

/** Prints a {@link DetectionScore} as the tables the README shows. */
final class ScoreReport {
    private ScoreReport() {
    }

    static void print(String title, DetectionScore s, PrintStream out) {
        out.printf(Locale.ROOT, "%n== %s: %d image(s)%n", title, s.images);
        if (s.oneFaceImages > 0) {
            out.printf(Locale.ROOT, "one face each: %d of %d image(s) without a face (%.2f%%)%n", s.imagesWithoutFace,
                    s.oneFaceImages, 100.0 * s.imagesWithoutFace / s.oneFaceImages);
        }
        if (s.faces == 0 && s.detections == 0) {
            return;
        }
        out.printf(Locale.ROOT, "faces %d, found %d (recall %s; faces >= 40 px: %s), detections %d, false %d "
                        + "(%s of detections), AP %.3f%n", s.faces, s.found, pct(s.found, s.faces),
                pct(s.recallFrom(40)), s.detections, s.falseDetections, pct(s.falseDetections, s.detections),
                s.averagePrecision());
        out.println("| face size (px) | faces | found | recall | detections | false | precision |");
        out.println("|---|---|---|---|---|---|---|");
        for (int i = 0; i < s.sizeFaces.length; i++) {
            int dets = s.sizeTrue[i] + s.sizeFalse[i];
            if (s.sizeFaces[i] == 0 && dets == 0) {
                continue;
            }
            out.printf(Locale.ROOT, "| %s | %d | %d | %s | %d | %d | %s |%n", range(DetectionScore.SIZE_EDGES, i),
                    s.sizeFaces[i], s.sizeFound[i], pct(s.sizeFound[i], s.sizeFaces[i]), dets, s.sizeFalse[i],
                    pct(s.sizeTrue[i], dets));
        }
        out.println("| roll (degrees) | faces | found | recall | landmark error (mean / max, of face size) |");
        out.println("|---|---|---|---|---|");
        for (int i = 0; i < s.rollFaces.length; i++) {
            if (s.rollFaces[i] == 0) {
                continue;
            }
            var errors = s.landmarkErrors.get(i);
            String lm = errors.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f / %.3f (n=%d)",
                    errors.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                    errors.stream().mapToDouble(Double::doubleValue).max().orElse(0), errors.size());
            out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s |%n", range(DetectionScore.ROLL_EDGES, i),
                    s.rollFaces[i], s.rollFound[i], pct(s.rollFound[i], s.rollFaces[i]), lm);
        }
        printTones(s, out);
    }

    private static void printTones(DetectionScore s, PrintStream out) {
        if (s.toneFacesFound.isEmpty()) {
            return;
        }
        out.println("| skin tone (labelled) | faces | found | recall |");
        out.println("|---|---|---|---|");
        s.toneFacesFound.forEach((tone, n) -> out.printf(Locale.ROOT, "| %s | %d | %d | %s |%n", tone, n[0], n[1],
                pct(n[1], n[0])));
    }

    static void printMisses(DetectionScore s, PrintStream out) {
        s.missedImages.forEach(m -> out.println("  missed: " + m));
    }

    private static String range(double[] edges, int i) {
        return edges[i + 1] == Double.MAX_VALUE ? (int) edges[i] + "+" : (int) edges[i] + "-" + (int) edges[i + 1];
    }

    private static String pct(int k, int n) {
        return n == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * k / n);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
