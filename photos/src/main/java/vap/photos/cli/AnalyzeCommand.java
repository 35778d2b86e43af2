package vap.photos.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vap.core.cli.ProgressBar;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.messages.GalleryEntry;
import vap.recognizer.FaceAnalyzer;
import vap.recognizer.RecognizerConfig;
import vap.recognizer.embed.EmbedConfig;
import vap.photos.analyze.PhotoAnalysis;
import vap.photos.enrol.Enroller;
import vap.photos.enrol.Enrolment;
import vap.photos.PhotoFaces;
import vap.recognizer.watchlist.GalleryFollower;
import vap.recognizer.watchlist.Watchlist;
import vap.recognizer.watchlist.WatchlistConfig;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** {@code vap analyze DIR}: a folder of photos in, result.csv out (one row per face). */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Detect every face in a folder of photos and write one CSV row per face: file, box, score, "
                + "age, best watchlist identity and its similarity.",
                "  vap analyze photos/ -o result.csv                  (watchlist from the gallery topic)",
                "  vap analyze photos/ --enroll-from watchlist/ -o result.csv   (no Kafka: enrol a folder in memory)"})
public final class AnalyzeCommand implements VapCommand {
    @Mixin
    ServiceOptions options;

    @Parameters(paramLabel = "DIR", description = "Folder of photos (searched recursively).")
    Path folder;

    @Option(names = {"-o", "--out"}, defaultValue = "result.csv", description = "CSV file to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--enroll-from", paramLabel = "DIR",
            description = "Build the watchlist in memory from DIR (one sub-folder per person) instead of the gallery topic.")
    Path enrollFrom;

    @Option(names = "--no-watchlist", description = "Detect and estimate ages only.")
    boolean noWatchlist;

    @Option(names = "--embeddings", description = "Add an 'embedding' column: the face's 128-d unit embedding, space-separated.")
    boolean embeddings;

    @Option(names = "--crop", defaultValue = "ALIGNED", description = "Embedding crop: ALIGNED (landmarks) or BOX (padded box).")
    PhotoFaces.CropMode crop;

    @Override
    public Integer call() throws Exception {
        Settings s = options.settings();
        RecognizerConfig config = RecognizerConfig.from(s);
        WatchlistConfig watchlistConfig = WatchlistConfig.from(s).withSnapshotDir(null);
        try (PhotoFaces photos = PhotoFaces.configured(s, crop);
             FaceAnalyzer analyzer = new FaceAnalyzer(config.device(), config.modelBatch(), EmbedConfig.from(s));
             WatchlistSource source = watchlist(s, watchlistConfig, photos, analyzer)) {
            Watchlist watchlist = source.watchlist();
            var files = PhotoAnalysis.photosUnder(folder);
            PhotoAnalysis.Summary summary;
            try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8));
                 ProgressBar bar = new ProgressBar(System.out, "analyze", files.size())) {
                summary = new PhotoAnalysis(photos, analyzer, watchlist, embeddings).analyze(folder, csv, p -> bar.step(p.getFileName().toString()));
            }
            summary.failed().forEach(f -> System.err.println("  skipped " + f));
            System.out.printf("%d photos, %d faces, %d matched against %d identities -> %s%n", summary.photos(),
                    summary.faces(), summary.matched(), watchlist.size(), out);
            return summary.failed().isEmpty() ? 0 : 1;
        }
    }

    /** Where the watchlist comes from; closing it closes what it opened. */
    private interface WatchlistSource extends AutoCloseable {
        Watchlist watchlist();

        @Override
        void close();
    }

    private WatchlistSource watchlist(Settings s, WatchlistConfig config, PhotoFaces photos, FaceAnalyzer analyzer)
            throws Exception {
        if (noWatchlist || (enrollFrom == null && !s.has(KafkaSettings.BOOTSTRAP))) {
            if (!noWatchlist) {
                System.err.println("analyze: no kafka.bootstrap.servers configured and no --enroll-from: "
                        + "identity columns stay empty");
            }
            Watchlist empty = new Watchlist(config);
            return sourceOf(empty, empty::close);
        }
        if (enrollFrom != null) {
            Watchlist local = new Watchlist(config);
            Enroller enroller = new Enroller(photos, analyzer.embedder(), e -> local.put(Watchlist.identityOf(e)));
            for (Enrolment e : enroller.enrolFolder(enrollFrom, "local", (p, n) -> { })) {
                e.rejected().forEach((photo, why) -> System.err.printf("  enrol %s: %s rejected: %s%n", e.identityId(), photo, why));
            }
            return sourceOf(local, local::close);
        }
        KafkaSettings kafka = KafkaSettings.from(s);
        GalleryFollower gallery = new GalleryFollower(config, kafka, Topics.from(s).gallery(),
                new AvroCodec<>(kafka.registryClient(), GalleryEntry.class), "vap-analyze");
        gallery.awaitCaughtUp(Duration.ofMinutes(2));
        return sourceOf(gallery.watchlist(), gallery::close);
    }

    private static WatchlistSource sourceOf(Watchlist w, Runnable close) {
        return new WatchlistSource() {
            @Override
            public Watchlist watchlist() {
                return w;
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
