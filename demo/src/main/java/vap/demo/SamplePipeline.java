package vap.demo;

import vap.core.config.Settings;
import vap.embedded.EmbeddedStack;
import vap.photos.enrol.Enroller;
import vap.photos.enrol.FaceChoice;
import vap.recognizer.service.RecognizerService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code vap run} and {@code vap pipeline-bench} share: the sample camera's scenes, the configuration of
 * every service on the embedded stack, and the sample watchlist (three people of one group photo).
 */
public final class SamplePipeline {
    /** The sample camera: people on the watchlist appear in sample1 (twice), the others are strangers. */
    public static final List<SampleScenes.Scene> SCENES = List.of(
            new SampleScenes.Scene("sample2.jpg", 6), new SampleScenes.Scene("sample1.jpg", 6),
            new SampleScenes.Scene("sample5.jpg", 6), new SampleScenes.Scene("sample1.jpg", 6));
    /** Enrolled from sample1.jpg: the three faces, by detection order. */
    public static final int WATCHLIST_SIZE = 3;

    private SamplePipeline() {
    }

    /**
     * Every service of the pipeline pointed at the embedded stack, state under {@code work}; {@code extra} wins.
     * Minimum face 40 px: the sample camera's faces are larger, and it is 2.5x cheaper than 20.
     */
    public static Settings settings(EmbeddedStack stack, Path work, String suppressionWindow, Map<String, String> extra) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("kafka.bootstrap.servers", stack.kafka().bootstrapServers());
        s.put("registry.url", stack.registry().url());
        s.put("sinks.jdbc.url", stack.postgres().jdbcUrl());
        s.put("sinks.jdbc.password", stack.postgres().password());
        s.put("sinks.alerts.state.dir", work.resolve("streams").toString());
        s.put("sinks.alerts.suppression.window", suppressionWindow);
        s.put("watchlist.snapshot.dir", work.resolve("watchlist").toString());
        s.put("detector.min.face.size", "40");
        s.putAll(extra);
        return Settings.of(s);
    }

    /** Enrols the sample watchlist and waits (up to a minute) until the recognizer holds it; returns its size. */
    public static int enrolWatchlist(Settings settings, Path work, RecognizerService recognizer) throws Exception {
        Path photo = work.resolve("sample").resolve("watchlist-sample1.jpg");
        Files.createDirectories(photo.getParent());
        Files.write(photo, SampleScenes.photo("sample1.jpg"));
        try (Enroller enroller = Enroller.create(settings)) {
            for (int i = 0; i < WATCHLIST_SIZE; i++) {
                String id = "sample-person-" + (i + 1);
                var result = enroller.enrol(id, "Sample person " + (i + 1), "demo", List.of(photo), FaceChoice.index(i));
                if (result.accepted().isEmpty()) {
                    throw new IllegalStateException("could not enrol " + id + " from " + photo + ": " + result.rejected());
                }
            }
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (recognizer.watchlist().size() < WATCHLIST_SIZE && System.currentTimeMillis() < deadline) {
            Thread.sleep(200); // the recognizer learns of enrolments through the gallery topic
        }
        return recognizer.watchlist().size();
    }

    /**
     * Enrols the user's own watchlist folder (one sub-folder of photos per person, folder name = identity) into
     * watchlist {@code name}, prints a line per person refused or photo skipped, and waits (up to a minute) until the
     * recognizer holds everyone enrolled; returns how many people were enrolled.
     */
    public static int enrolFolder(Settings settings, Path folder, String name, RecognizerService recognizer,
                                  java.io.PrintStream out) throws Exception {
        int before = recognizer.watchlist().size();
        int enrolled = 0;
        try (Enroller enroller = Enroller.create(settings)) {
            for (var e : enroller.enrolFolder(folder, name, (photo, total) -> { })) {
                if (e.enrolled()) {
                    enrolled++;
                } else {
                    out.println("vap: watchlist: " + e.identityId() + " not enrolled: " + e.rejected());
                }
                e.rejected().forEach((photo, why) -> out.println("vap: watchlist: skipped " + photo + ": " + why));
            }
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (recognizer.watchlist().size() < before + enrolled && System.currentTimeMillis() < deadline) {
            Thread.sleep(200); // the recognizer learns of enrolments through the gallery topic
        }
        return enrolled;
    }
}
