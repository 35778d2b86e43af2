package vap.recognizer.watchlist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.Settings;
import vap.recognizer.index.Metric;
import vap.testsupport.RandomVectors;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchlistTest {
    static final int D = WatchlistConfig.DIMENSION;

    static List<Identity> people(int n, long seed) {
        float[] v = RandomVectors.unit(n, D, seed);
        List<Identity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "person-" + i;
            out.add(new Identity(id, "Person " + i, "default", Watchlist.indexIdOf(id),
                    Arrays.copyOfRange(v, i * D, (i + 1) * D), 1, Instant.ofEpochMilli(1_000_000L + i)));
        }
        return out;
    }

    @Test
    void addSearchEraseAndReEnrol() {
        List<Identity> people = people(200, 1);
        try (Watchlist w = new Watchlist(WatchlistConfig.defaults())) {
            w.apply(people.stream().map(Watchlist.Change::enrol).toList());
            assertEquals(200, w.size());
            assertEquals(200, w.indexedVectors());
            List<Candidate> found = w.search(List.of(people.get(7).embedding())).get(0);
            assertEquals("person-7", found.get(0).identity().identityId());
            assertTrue(found.get(0).passes());
            assertFalse(found.get(1).passes(), "random other vectors are far below the threshold");

            assertTrue(w.erase("person-7"));
            assertFalse(w.erase("person-7"));
            assertEquals(199, w.indexedVectors());
            assertTrue(w.search(List.of(people.get(7).embedding())).get(0).stream()
                    .noneMatch(c -> c.identity().identityId().equals("person-7") || c.passes()));

            // Re-enrolling replaces, never duplicates.
            w.put(people.get(8));
            assertEquals(199, w.indexedVectors());
        }
    }

    @Test
    void laterChangeInOneBatchWins() {
        List<Identity> people = people(3, 2);
        try (Watchlist w = new Watchlist(WatchlistConfig.defaults())) {
            w.apply(List.of(Watchlist.Change.enrol(people.get(0)), Watchlist.Change.erase("person-0"),
                    Watchlist.Change.enrol(people.get(1)), Watchlist.Change.erase("person-1"),
                    Watchlist.Change.enrol(people.get(1))));
            assertEquals(List.of("person-1"), w.identities().stream().map(Identity::identityId).toList());
            assertEquals(1, w.indexedVectors());
        }
    }

    @Test
    void snapshotAndReloadGiveTheSameAnswers(@TempDir Path dir) {
        List<Identity> people = people(1000, 3);
        WatchlistConfig config = WatchlistConfig.defaults().withSnapshotDir(dir).withShards(3);
        List<float[]> probes = List.of(people.get(1).embedding(), people.get(500).embedding(), people.get(999).embedding());
        List<List<Candidate>> before;
        try (Watchlist w = new Watchlist(config)) {
            w.apply(people.stream().map(Watchlist.Change::enrol).toList());
            w.erase("person-500");
            before = w.search(probes);
            w.writeSnapshot(dir, Map.of(0, 1001L, 1, 7L));
        }
        WatchlistSnapshot.Restored restored = WatchlistSnapshot.read(dir, config).orElseThrow();
        try (Watchlist w = restored.watchlist()) {
            assertEquals(Map.of(0, 1001L, 1, 7L), restored.galleryOffsets());
            assertEquals(999, w.size());
            assertEquals(999, w.indexedVectors());
            assertSameCandidates(before, w.search(probes));
        }
        // Another shard count or metric: the index is rebuilt from the stored embeddings.
        WatchlistConfig oneShardL2 = WatchlistConfig.from(Settings.of(Map.of("watchlist.metric", "L2")))
                .withSnapshotDir(dir);
        try (Watchlist w = WatchlistSnapshot.read(dir, oneShardL2).orElseThrow().watchlist()) {
            assertEquals(Metric.L2, w.config().metric());
            assertEquals(999, w.indexedVectors());
            assertEquals("person-1", w.search(probes).get(0).get(0).identity().identityId());
            assertEquals(0f, w.search(probes).get(0).get(0).score(), 1e-3f);
        }
    }

    @Test
    void aSnapshotWithAnImpossibleCountOrAnUnknownNameIsRefusedSayingWhy(@TempDir Path dir) throws Exception {
        WatchlistConfig config = WatchlistConfig.defaults().withSnapshotDir(dir);
        try (Watchlist w = new Watchlist(config)) {
            w.apply(people(3, 5).stream().map(Watchlist.Change::enrol).toList());
            w.writeSnapshot(dir, Map.of(0, 3L));
        }
        Path file = dir.resolve("snapshot").resolve("identities.bin");
        byte[] header = java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(file), 16); // magic, format, written at
        // 2^31-1 identities claimed by a file of a few kB: refused before anything is allocated for them.
        rewrite(file, header, config.metric().name(), "FLAT", 1, Integer.MAX_VALUE);
        var count = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                () -> WatchlistSnapshot.read(dir, config));
        assertTrue(count.getCause().getMessage().contains("is corrupt: identity count 2147483647"), count.getCause().getMessage());
        rewrite(file, header, "NOPE", "FLAT", 1, 0);
        var name = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                () -> WatchlistSnapshot.read(dir, config));
        assertTrue(name.getCause().getMessage().contains("'NOPE' is no Metric"), name.getCause().getMessage());
        assertTrue(name.getMessage().contains("delete it to rebuild"), name.getMessage());
        rewrite(file, header, config.metric().name(), "FLAT", -3, 0);
        assertThrows(java.io.UncheckedIOException.class, () -> WatchlistSnapshot.read(dir, config));
    }

    private static void rewrite(Path file, byte[] header, String metric, String type, int shards, int identities)
            throws java.io.IOException {
        try (var out = new java.io.DataOutputStream(java.nio.file.Files.newOutputStream(file))) {
            out.write(header);
            out.writeUTF(metric);
            out.writeUTF(type);
            out.writeInt(shards);
            out.writeInt(0); // partitions
            out.writeInt(identities);
        }
    }

    @Test
    void ivfTakesOverOnceEnoughIdentitiesAreEnrolled() {
        WatchlistConfig ivf = WatchlistConfig.from(Settings.of(Map.of("watchlist.index", "ivf",
                "watchlist.ivf.nlist", "8", "watchlist.ivf.nprobe", "8", "watchlist.ivf.train-size", "400")));
        List<Identity> people = people(600, 4);
        try (Watchlist w = new Watchlist(ivf)) {
            w.apply(people.subList(0, 300).stream().map(Watchlist.Change::enrol).toList());
            assertEquals("person-42", w.search(List.of(people.get(42).embedding())).get(0).get(0).identity().identityId());
            w.apply(people.subList(300, 600).stream().map(Watchlist.Change::enrol).toList());
            assertEquals(600, w.indexedVectors());
            w.erase("person-42");
            for (int i : new int[] {0, 299, 300, 599}) {
                assertEquals("person-" + i, w.search(List.of(people.get(i).embedding())).get(0).get(0).identity().identityId());
            }
            assertTrue(w.search(List.of(people.get(42).embedding())).get(0).stream().noneMatch(Candidate::passes));
        }
    }

    static void assertSameCandidates(List<List<Candidate>> a, List<List<Candidate>> b) {
        assertEquals(a.size(), b.size());
        for (int q = 0; q < a.size(); q++) {
            assertEquals(a.get(q).stream().map(c -> c.identity().identityId()).toList(),
                    b.get(q).stream().map(c -> c.identity().identityId()).toList());
            for (int r = 0; r < a.get(q).size(); r++) {
                assertEquals(a.get(q).get(r).score(), b.get(q).get(r).score(), 1e-6f);
            }
        }
    }

    @Test
    void aGalleryEntryRecordsHowItsEmbeddingsWereMade() {
        float[] v = new float[WatchlistConfig.DIMENSION];
        v[0] = 1;
        assertEquals("mirror=false landmarks=5",
                Watchlist.embeddingOf(Watchlist.entry("a", "A", "w", List.of(v), " mirror=false landmarks=5")));
        assertEquals(vap.recognizer.embed.EmbedConfig.defaults().describe().trim(),
                Watchlist.embeddingOf(Watchlist.entry("a", "A", "w", List.of(v))));
        // Entries from before the field: the embedding defaults of their time.
        vap.messages.GalleryEntry legacy = Watchlist.entry("a", "A", "w", List.of(v));
        legacy.setEmbedding(null);
        assertEquals(Watchlist.LEGACY_EMBEDDING, Watchlist.embeddingOf(legacy));
    }
}
