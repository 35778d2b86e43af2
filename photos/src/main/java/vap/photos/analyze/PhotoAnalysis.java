package vap.photos.analyze;

import vap.vision.image.ImageDecodeException;
import vap.recognizer.FaceAnalyzer;
import vap.photos.enrol.Enroller;
import vap.photos.PhotoFaces;
import vap.recognizer.watchlist.Candidate;
import vap.recognizer.watchlist.Watchlist;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The seed's result.csv for a folder of photos: one row per face with its box, detection score, SSR-Net age,
 * best watchlist identity and its score. Photos of any mode (palette, RGBA, grey, CMYK, 16-bit) are
 * normalised to 8-bit BGR by vision's ImageDecoder; a file that cannot be decoded is reported and skipped.
 */
public final class PhotoAnalysis {
    public static final String HEADER = "file,face,x1,y1,x2,y2,score,age,identity,display_name,similarity,matched";
    /** The optional last column: the face's unit embedding, 128 numbers separated by spaces. */
    public static final String EMBEDDING_COLUMN = "embedding";

    /** Counts for the summary line. */
    public record Summary(int photos, int faces, int matched, List<String> failed) {
    }

    private final PhotoFaces photos;
    private final FaceAnalyzer analyzer;
    private final Watchlist watchlist;
    private final boolean embeddings;

    public PhotoAnalysis(PhotoFaces photos, FaceAnalyzer analyzer, Watchlist watchlist) {
        this(photos, analyzer, watchlist, false);
    }

    /** {@code embeddings}: add the {@link #EMBEDDING_COLUMN} to every row. */
    public PhotoAnalysis(PhotoFaces photos, FaceAnalyzer analyzer, Watchlist watchlist, boolean embeddings) {
        this.photos = photos;
        this.analyzer = analyzer;
        this.watchlist = watchlist;
        this.embeddings = embeddings;
    }

    /** Every photo under {@code folder} (recursively, by path), in name order. */
    public static List<Path> photosUnder(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(Enroller::isPhoto).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + folder, e);
        }
    }

    public Summary analyze(Path folder, PrintWriter csv, Consumer<Path> progress) {
        List<Path> files = photosUnder(folder);
        csv.println(embeddings ? HEADER + "," + EMBEDDING_COLUMN : HEADER);
        int faces = 0;
        int matched = 0;
        List<String> failed = new ArrayList<>();
        for (Path file : files) {
            List<PhotoFaces.Face> found;
            try {
                found = photos.faces(file);
            } catch (ImageDecodeException e) {
                failed.add(file + ": " + e.getMessage());
                progress.accept(file);
                continue;
            }
            try {
                List<FaceAnalyzer.FaceAnalysis> results = analyzer.analyze(
                        found.stream().map(PhotoFaces.Face::aligned).toList(),
                        found.stream().map(PhotoFaces.Face::ageCrop).toList(), watchlist);
                String name = folder.relativize(file).toString();
                for (int i = 0; i < found.size(); i++) {
                    var d = found.get(i).detection();
                    FaceAnalyzer.FaceAnalysis a = results.get(i);
                    Candidate best = a.candidates().isEmpty() ? null : a.candidates().get(0);
                    csv.println(String.join(",", csv(name), Integer.toString(i), num(d.x1()), num(d.y1()), num(d.x2()),
                            num(d.y2()), String.format(Locale.ROOT, "%.4f", d.score()),
                            String.format(Locale.ROOT, "%.1f", a.age()),
                            best == null ? "" : csv(best.identity().identityId()),
                            best == null ? "" : csv(best.identity().displayName()),
                            best == null ? "" : String.format(Locale.ROOT, "%.4f", best.score()),
                            Boolean.toString(a.matched())) + (embeddings ? "," + vector(a.embedding()) : ""));
                    faces++;
                    matched += a.matched() ? 1 : 0;
                }
            } finally {
                found.forEach(PhotoFaces.Face::close);
            }
            progress.accept(file);
        }
        csv.flush();
        return new Summary(files.size(), faces, matched, failed);
    }

    private static String vector(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 11);
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.6f", v[i]));
        }
        return sb.toString();
    }

    private static String num(float v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** RFC 4180 quoting where a value needs it. */
    static String csv(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
