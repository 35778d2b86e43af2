package vap.recognizer.faiss;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.recognizer.index.Metric;
import vap.testsupport.RandomVectors;
import vap.recognizer.index.SearchHits;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaissIndexTest {
    static final int D = 128;

    @Test
    void flatInnerProductFindsEachVectorItselfWithItsOwn64BitId() {
        float[] data = RandomVectors.unit(500, D, 1);
        long[] ids = RandomVectors.ids(500, 1L << 40); // beyond 32 bits on purpose
        try (FaissIndex index = FaissIndex.flat(D, Metric.IP)) {
            index.add(ids, data);
            assertEquals(500, index.size());
            SearchHits hits = index.search(Arrays.copyOf(data, 10 * D), 3);
            for (int q = 0; q < 10; q++) {
                assertEquals(ids[q], hits.ids()[q][0]);
                assertEquals(1.0f, hits.scores()[q][0], 1e-4f);
                assertTrue(hits.scores()[q][1] < hits.scores()[q][0]);
            }
        }
    }

    @Test
    void l2ScoresAreEuclideanDistancesNotSquared() {
        float[] a = new float[D];
        float[] b = new float[D];
        a[0] = 1;
        b[0] = 4; // distance 3, squared 9
        try (FaissIndex index = FaissIndex.flat(D, Metric.L2)) {
            index.add(new long[] {7}, a);
            SearchHits hits = index.search(b, 2);
            assertEquals(7, hits.ids()[0][0]);
            assertEquals(3.0f, hits.scores()[0][0], 1e-5f);
            assertEquals(SearchHits.NO_ID, hits.ids()[0][1], "only one vector in the index");
        }
    }

    @Test
    void removeByIdEraseFromSearchResults() {
        float[] data = RandomVectors.unit(100, D, 2);
        long[] ids = RandomVectors.ids(100, 1000);
        for (FaissIndex index : new FaissIndex[] {FaissIndex.flat(D, Metric.IP), trainedIvf(data)}) {
            try (index) {
                index.add(ids, data);
                assertEquals(2, index.remove(new long[] {1003, 1050, 999_999}));
                assertEquals(98, index.size());
                SearchHits hits = index.search(Arrays.copyOfRange(data, 3 * D, 4 * D), 5);
                assertFalse(Arrays.stream(hits.ids()[0]).anyMatch(id -> id == 1003), "erased vector still found");
                SearchHits other = index.search(Arrays.copyOfRange(data, 4 * D, 5 * D), 1);
                assertEquals(1004, other.ids()[0][0]);
            }
        }
    }

    private static FaissIndex trainedIvf(float[] training) {
        FaissIndex ivf = FaissIndex.ivf(D, Metric.IP, 4, 4); // nprobe = nlist: exact, so results are checkable
        assertFalse(ivf.isTrained());
        assertThrows(IllegalStateException.class, () -> ivf.add(new long[] {1}, Arrays.copyOf(training, D)));
        ivf.train(training);
        assertTrue(ivf.isTrained() && ivf.isIvf());
        return ivf;
    }

    @Test
    void writeThenReadGivesTheSameAnswers(@TempDir Path dir) {
        float[] data = RandomVectors.unit(300, D, 3);
        long[] ids = RandomVectors.ids(300, 5);
        float[] queries = RandomVectors.unit(20, D, 4);
        for (Metric metric : Metric.values()) {
            Path file = dir.resolve(metric + ".faiss");
            SearchHits before;
            try (FaissIndex index = FaissIndex.flat(D, metric)) {
                index.add(ids, data);
                index.remove(new long[] {5, 6});
                before = index.search(queries, 5);
                index.write(file);
            }
            try (FaissIndex reloaded = FaissIndex.read(file)) {
                assertEquals(metric, reloaded.metric());
                assertEquals(298, reloaded.size());
                SearchHits after = reloaded.search(queries, 5);
                for (int q = 0; q < 20; q++) {
                    assertArrayEquals(before.ids()[q], after.ids()[q]);
                    assertArrayEquals(before.scores()[q], after.scores()[q], 1e-6f);
                }
            }
        }
    }

    @Test
    void aCorruptIndexFileIsAnErrorNotACrash(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("corrupt.faiss");
        java.nio.file.Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        RuntimeException e = assertThrows(RuntimeException.class, () -> FaissIndex.read(file));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "FAISS's own message comes through");
    }

    @Test
    void wrongShapesAreRefusedWithAClearMessage() {
        try (FaissIndex index = FaissIndex.flat(D, Metric.IP)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> index.add(new long[] {1}, new float[D + 1]));
            assertTrue(e.getMessage().contains("128-d"), e.getMessage());
        }
    }
}
