package vap.photos.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An LFW-format pairs file. View 2 ({@code pairs.txt}) starts with "10 300": ten folds of 300 same-person pairs
 * then 300 different-person pairs, and those are the folds. View 1 ({@code pairsDevTrain/Test.txt}) starts with
 * the pair count and has no folds: pair i (in file order) goes to fold i mod 10, which spreads the same-person
 * block and the different-person block evenly over the folds.
 */
public final class LfwPairs {
    /** One pair of photos (paths relative to the image root) and its fold. */
    public record Pair(String a, String b, boolean same, int fold) {
    }

    public static final int FOLDS = 10;

    private LfwPairs() {
    }

    public static List<Pair> read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    static List<Pair> parse(List<String> lines, String source) {
        List<String> rows = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + " is empty (expected an LFW pairs file)");
        }
        String[] head = rows.get(0).split("\\s+");
        int perFoldHalf = head.length == 2 ? Integer.parseInt(head[1]) : -1;
        List<Pair> out = new ArrayList<>(rows.size() - 1);
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split("\\s+");
            int index = i - 1;
            int fold = perFoldHalf > 0 ? index / (2 * perFoldHalf) : index % FOLDS;
            if (f.length == 3) {
                out.add(new Pair(photo(f[0], f[1]), photo(f[0], f[2]), true, fold));
            } else if (f.length == 4) {
                out.add(new Pair(photo(f[0], f[1]), photo(f[2], f[3]), false, fold));
            } else {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected 3 or 4 fields, got: " + rows.get(i));
            }
        }
        return out;
    }

    /** LFW's file name: {@code Name/Name_0003.jpg}. */
    public static String photo(String name, String number) {
        return name + "/" + name + "_" + String.format(Locale.ROOT, "%04d", Integer.parseInt(number)) + ".jpg";
    }
}
