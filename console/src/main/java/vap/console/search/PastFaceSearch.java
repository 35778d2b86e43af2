package vap.console.search;

import vap.messages.CropLocation;
import vap.recognizer.index.IndexFactory;
import vap.recognizer.index.Metric;
import vap.recognizer.index.SearchHits;
import vap.recognizer.index.VectorIndex;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * "Where was this person seen in the last N days": the faces stored since then (their embeddings, from the search
 * table) go into an exact FAISS index (the recognizer's), which is searched with the person's embeddings (an
 * uploaded photo's face, a picked face, or an enrolled person's photos); each stored face keeps its best score.
 * The index is built per search from at most {@code maxFaces} newest faces, so a search costs one scan of the window.
 */
public final class PastFaceSearch {
    /** One stored face and how close it is to the person. */
    public record Hit(String key, String camera, Instant at, String identity, CropLocation crop, float score,
                      boolean passes) {
    }

    /** The hits, best first; how many stored faces were searched; the threshold they were held to. */
    public record Result(List<Hit> hits, int searched, float threshold, Metric metric) {
        public long passing() {
            return hits.stream().filter(Hit::passes).count();
        }
    }

    private final FaceTable table;
    private final IndexFactory indexes;
    private final Metric metric;
    private final int dimension;
    private final int maxFaces;

    public PastFaceSearch(FaceTable table, IndexFactory indexes, Metric metric, int dimension, int maxFaces) {
        if (maxFaces < 1) {
            throw new IllegalArgumentException("a past-face search reads at least 1 face, not " + maxFaces);
        }
        this.table = table;
        this.indexes = indexes;
        this.metric = metric;
        this.dimension = dimension;
        this.maxFaces = maxFaces;
    }

    /** The {@code k} stored faces since {@code since} closest to any of {@code probes}, best first. */
    public Result search(Connection c, List<float[]> probes, Instant since, int k, float threshold) throws SQLException {
        if (probes.isEmpty()) {
            throw new IllegalArgumentException("no face to search for");
        }
        List<Hit> stored = new ArrayList<>();
        float[] vectors = load(c, since, stored);
        if (stored.isEmpty()) {
            return new Result(List.of(), 0, threshold, metric);
        }
        float[] queries = new float[probes.size() * dimension];
        for (int q = 0; q < probes.size(); q++) {
            if (probes.get(q).length != dimension) {
                throw new IllegalArgumentException("a probe of " + probes.get(q).length + " values, not " + dimension);
            }
            System.arraycopy(probes.get(q), 0, queries, q * dimension, dimension);
        }
        Map<Long, Float> best = new HashMap<>();
        try (VectorIndex index = indexes.flat(dimension, metric)) {
            long[] ids = new long[stored.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i;
            }
            index.add(ids, vectors);
            SearchHits hits = index.search(queries, Math.min(k, stored.size()));
            for (int q = 0; q < hits.queries(); q++) {
                for (int j = 0; j < hits.ids()[q].length; j++) {
                    long id = hits.ids()[q][j];
                    if (id != SearchHits.NO_ID) {
                        best.merge(id, hits.scores()[q][j], (a, b) -> metric.closer(a, b) ? a : b);
                    }
                }
            }
        }
        List<Hit> ranked = new ArrayList<>();
        best.forEach((id, score) -> {
            Hit h = stored.get(id.intValue());
            ranked.add(new Hit(h.key(), h.camera(), h.at(), h.identity(), h.crop(), score, metric.passes(score, threshold)));
        });
        ranked.sort(metric == Metric.IP ? Comparator.comparingDouble(Hit::score).reversed()
                : Comparator.comparingDouble(Hit::score));
        return new Result(List.copyOf(ranked.subList(0, Math.min(k, ranked.size()))), stored.size(), threshold, metric);
    }

    /** The newest {@code maxFaces} faces since {@code since} into {@code into}; their embeddings, row-major. */
    private float[] load(Connection c, Instant since, List<Hit> into) throws SQLException {
        String sql = "select " + table.rowKey() + ", " + table.camera() + ", " + table.time() + ", " + table.identity()
                + ", " + table.cropTopic() + ", " + table.cropPartition() + ", " + table.cropOffset() + ", embedding from "
                + table.table() + " where " + table.time() + " >= ? order by " + table.time() + " desc limit ?";
        List<float[]> embeddings = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setInt(2, maxFaces);
            ps.setFetchSize(10_000); // streamed, not the whole window at once (needs autocommit off to take effect)
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array a = rs.getArray(8);
                    Float[] boxed = (Float[]) a.getArray();
                    if (boxed.length != dimension) {
                        continue; // not an embedding of this model
                    }
                    float[] v = new float[dimension];
                    for (int i = 0; i < dimension; i++) {
                        v[i] = boxed[i];
                    }
                    embeddings.add(v);
                    String topic = rs.getString(5);
                    CropLocation crop = topic == null ? null : new CropLocation(topic, rs.getInt(6), rs.getLong(7));
                    into.add(new Hit(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                            crop, 0f, false));
                }
            }
        }
        float[] all = new float[embeddings.size() * dimension];
        for (int i = 0; i < embeddings.size(); i++) {
            System.arraycopy(embeddings.get(i), 0, all, i * dimension, dimension);
        }
        return all;
    }
}
