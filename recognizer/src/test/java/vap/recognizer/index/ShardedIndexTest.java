package vap.recognizer.index;

import vap.testsupport.RandomVectors;
import org.junit.jupiter.api.Test;
import vap.recognizer.faiss.FaissIndex;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardedIndexTest {
    static final int D = 128;

    @Test
    void shardsReturnExactlyWhatOneIndexReturns() {
        int n = 20_000;
        float[] data = RandomVectors.unit(n, D, 11);
        long[] ids = RandomVectors.ids(n, 1L << 33);
        float[] queries = RandomVectors.unit(64, D, 12);
        for (Metric metric : Metric.values()) {
            List<VectorIndex> shards = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                shards.add(FaissIndex.flat(D, metric));
            }
            try (FaissIndex single = FaissIndex.flat(D, metric); ShardedIndex sharded = new ShardedIndex(shards)) {
                single.add(ids, data);
                sharded.add(ids, data);
                assertEquals(n, sharded.size());
                for (VectorIndex s : shards) {
                    assertTrue(s.size() > n / 8, "ids spread over the shards: " + s.size());
                }
                long[] erase = {ids[3], ids[77], ids[19_999]};
                assertEquals(3, single.remove(erase));
                assertEquals(3, sharded.remove(erase));
                for (int k : new int[] {1, 10, 50}) {
                    // Batched: FAISS switches to BLAS for 20+ queries, whose blocking depends on the matrix size,
                    // so a distance may differ in its last bit between a shard and the whole; only ids whose
                    // scores tie to that precision may swap places.
                    assertSameTopK(single.search(queries, k), sharded.search(queries, k), metric + " k=" + k);
                    for (int q = 0; q < 8; q++) {
                        float[] one = java.util.Arrays.copyOfRange(queries, q * D, (q + 1) * D);
                        SearchHits a = single.search(one, k);
                        SearchHits b = sharded.search(one, k);
                        assertArrayEquals(a.ids()[0], b.ids()[0], "single query " + q + " " + metric + " k=" + k);
                        assertArrayEquals(a.scores()[0], b.scores()[0], "single query scores " + q);
                    }
                }
            }
        }
    }

    static void assertSameTopK(SearchHits one, SearchHits many, String what) {
        for (int q = 0; q < one.queries(); q++) {
            float[] s = one.scores()[q];
            assertArrayEquals(s, many.scores()[q], 1e-5f, what + " query " + q);
            for (int r = 0; r < s.length; r++) {
                boolean tiedWithNeighbour = (r > 0 && Math.abs(s[r] - s[r - 1]) < 1e-5f)
                        || (r + 1 < s.length && Math.abs(s[r] - s[r + 1]) < 1e-5f);
                if (!tiedWithNeighbour) {
                    assertEquals(one.ids()[q][r], many.ids()[q][r], what + " query " + q + " rank " + r);
                }
            }
        }
    }

    @Test
    void mergeFillsMissingSlotsWithNoId() {
        SearchHits a = new SearchHits(Metric.IP, new long[][] {{1, -1}}, new float[][] {{0.9f, Float.NEGATIVE_INFINITY}});
        SearchHits b = new SearchHits(Metric.IP, new long[][] {{-1, -1}}, new float[][] {{Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}});
        SearchHits merged = ShardedIndex.merge(Metric.IP, List.of(a, b), 2);
        assertArrayEquals(new long[] {1, -1}, merged.ids()[0]);
    }
}
