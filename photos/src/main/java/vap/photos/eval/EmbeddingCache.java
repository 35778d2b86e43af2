package vap.photos.eval;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One embedding per photo (or "no face"), keyed by the photo's path relative to the image root, so an evaluation
 * embeds each photo once and a re-run with other settings costs nothing. On disk (optional): a header naming the
 * pipeline settings that made it (a file made with other settings is ignored), then one line per photo:
 * {@code path<TAB>faces found<TAB>comma-separated embedding (empty: no face)}.
 */
public final class EmbeddingCache {
    /** What the pipeline made of one photo: how many faces it found, and the chosen face's unit embedding. */
    public record Entry(int faces, float[] embedding) {
        public boolean found() {
            return embedding != null;
        }
    }

    // v2: the detector's landmark fix and colour order (issue 12) changed every chip without changing these keys.
    private static final String HEADER = "# vap eval embeddings v2 ";
    private final String setup;
    private final Map<String, Entry> entries = new TreeMap<>();

    /** {@code setup}: the settings the embeddings depend on (crop, detector); a cache file must match it. */
    public EmbeddingCache(String setup) {
        this.setup = setup;
    }

    public synchronized Optional<Entry> get(String photo) {
        return Optional.ofNullable(entries.get(photo));
    }

    public synchronized void put(String photo, Entry entry) {
        entries.put(photo, entry);
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Loads {@code file} when it exists and was made with the same setup; returns the entries read. */
    public synchronized int load(Path file) {
        if (file == null || !Files.exists(file)) {
            return 0;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.equals(HEADER + setup)) {
                return -1;
            }
            int n = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split("\t", -1);
                if (f.length != 3) {
                    throw new IllegalArgumentException(file + ": malformed line: " + line);
                }
                float[] e = null;
                if (!f[2].isEmpty()) {
                    String[] xs = f[2].split(",");
                    e = new float[xs.length];
                    for (int i = 0; i < xs.length; i++) {
                        e[i] = Float.parseFloat(xs[i]);
                    }
                }
                entries.put(f[0], new Entry(Integer.parseInt(f[1]), e));
                n++;
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /** Writes every entry to {@code file} (through a temporary file, so a crash leaves the old one). */
    public synchronized void save(Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                out.write(HEADER + setup);
                out.newLine();
                StringBuilder sb = new StringBuilder();
                for (Map.Entry<String, Entry> e : entries.entrySet()) {
                    sb.setLength(0);
                    sb.append(e.getKey()).append('\t').append(e.getValue().faces()).append('\t');
                    float[] v = e.getValue().embedding();
                    if (v != null) {
                        for (int i = 0; i < v.length; i++) {
                            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.7g", v[i]));
                        }
                    }
                    out.write(sb.toString());
                    out.newLine();
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
