package vap.photos.evaldetect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The label format of {@code vap eval detect}: a {@code labels.csv} in the image folder, one line per face,
 * {@code file,x1,y1,x2,y2[,rotation[,tone]]}: the file name relative to the folder, the face's box in pixels
 * (0-based, x2/y2 exclusive: left, top, right, bottom edges), the head's in-plane roll in degrees (optional), the
 * skin tone group a person assigned (optional, free text, recall is reported per group). A header line
 * starting with {@code file} and lines starting with {@code #} are skipped. A line with the file name alone
 * ({@code file}) marks an image without faces; images of the folder not listed at all are not evaluated.
 */
final class LabelFile {
    static final String NAME = "labels.csv";

    private LabelFile() {
    }

    /** Faces per file, in file order of first appearance. */
    static Map<String, List<TruthFace>> read(Path csv) {
        try {
            return parse(Files.readAllLines(csv, StandardCharsets.UTF_8), csv.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
    }

    static Map<String, List<TruthFace>> parse(List<String> lines, String source) {
        Map<String, List<TruthFace>> out = new LinkedHashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#") || (n == 0 && line.startsWith("file"))) {
                continue;
            }
            String[] f = line.split(",");
            List<TruthFace> faces = out.computeIfAbsent(f[0].strip(), k -> new ArrayList<>());
            if (f.length == 1) {
                continue;
            }
            if (f.length < 5 || f.length > 7) {
                throw new IllegalArgumentException(source + " line " + (n + 1)
                        + ": expected file,x1,y1,x2,y2[,rotation[,tone]], got '" + line + "'");
            }
            try {
                faces.add(TruthFace.labelled(num(f[1]), num(f[2]), num(f[3]), num(f[4]), f.length >= 6 ? num(f[5]) : 0,
                        f.length == 7 ? f[6] : ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (n + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static double num(String s) {
        return Double.parseDouble(s.strip());
    }
}
