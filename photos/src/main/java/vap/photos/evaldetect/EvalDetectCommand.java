package vap.photos.evaldetect;

import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vap.core.cli.ProgressBar;
import vap.core.cli.VapSubcommand;
import vap.core.config.Settings;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.mtcnn.MtcnnDetector;
import vap.vision.face.DetectedFace;
import vap.vision.image.ImageDecodeException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

/**
 * {@code vap eval detect}: the detector measured on labelled images. By default the built-in set: composites
 * (real faces pasted at known sizes and rolls, exact truth, see {@link Composites}) and the hand-labelled npm
 * sample photos, plus the shared test scenes when given; also a folder of the user's with a labels.csv
 * ({@link LabelFile}), or a folder of images with one face each (LFW). Prints recall and precision at IoU 0.5 by
 * face size and roll, average precision, false detections and the landmark error on composites.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Measure face detection on labelled images: recall/precision at IoU 0.5 by face size and roll, "
                + "average precision, false detections, landmark error.",
                "  vap eval detect                                   (composites + the npm sample photos)",
                "  vap eval detect --scenes ../shared/testdata/faces/scenes",
                "  vap eval detect --no-builtin --labelled my-photos/   (my-photos/labels.csv: file,x1,y1,x2,y2[,rotation])",
                "  vap eval detect --no-builtin --one-face ../shared/testdata/lfw/images",
                "  vap eval detect --composites 24 --tones              (recall per skin tone, ITA very light to dark)",
                "  vap eval detect --sources my-portraits/ --no-samples (composites cut from my photos)",
                "  vap eval detect --annotate /tmp/ann                  (draw every miss and false detection)"})
public final class EvalDetectCommand implements VapSubcommand {
    @Option(names = "--composites", defaultValue = "60", description = "Composite images to make (default: ${DEFAULT-VALUE}; 0 = none).")
    int composites;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the composites (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--no-builtin", description = "Skip the composites and the npm sample photos.")
    boolean noBuiltin;
    @Option(names = "--no-samples", description = "Skip the npm sample photos (keep the composites).")
    boolean noSamples;
    @Option(names = "--scenes", paramLabel = "DIR", description = "The shared test scenes folder (faces/scenes), scored with the bundled labels.")
    Path scenes;
    @Option(names = "--labelled", paramLabel = "DIR", description = "A folder with labels.csv (repeatable).")
    List<Path> labelled = new ArrayList<>();
    @Option(names = "--one-face", paramLabel = "DIR", description = "A folder (searched recursively) whose every image shows one face: counts images without a face.")
    Path oneFace;
    @Option(names = "--every", defaultValue = "1", description = "With --one-face: only every N-th image (sorted by path), for a quicker estimate.")
    int every;
    @Option(names = "--save-composites", paramLabel = "DIR", description = "Also write the composites and their labels.csv here.")
    Path saveComposites;
    @Option(names = "--misses", description = "List every missed face.")
    boolean misses;
    @Option(names = "--tones", description = "Also score the composites with every face rendered at each skin tone "
            + "group (ITA very light to dark), one set per tone.")
    boolean tones;
    @Option(names = "--sources", paramLabel = "DIR", description = "Cut the composites' faces from the photos in "
            + "this folder (one face each: the largest the reference cascade finds at score >= 0.99, >= 80 px, eyes "
            + "level) instead of the npm sample photos, e.g. to compare groups of people under the same scenes.")
    Path sourceFolder;
    @Option(names = "--annotate", paramLabel = "DIR", description = "Write every image with a miss or a false "
            + "detection here, drawn, with a close-up of each.")
    Path annotate;
    @Option(names = "--min-face-size", description = "Smallest face side in pixels (detector.min.face.size).")
    Integer minFaceSize;
    @Option(names = {"-c", "--config"}, description = "Properties file with detector.* keys.")
    Path configFile;
    @Option(names = {"-D", "--set"}, description = "Any detector.* key=value, e.g. -D detector.rotations=0.")
    Map<String, String> extra = new LinkedHashMap<>();

    @Override
    public String parent() {
        return "eval";
    }

    @Override
    public Integer call() throws IOException {
        MtcnnConfig config = config();
        System.out.println("detector: " + config);
        Map<String, DetectionScore> scores = new LinkedHashMap<>();
        DetectionScore all = new DetectionScore();
        long nanos = 0;
        int detectedImages = 0;
        List<Composites.SourceFace> sources = noBuiltin || composites <= 0 ? List.of()
                : sourceFolder != null ? DetectionSets.compositeSources(sourceFolder)
                : DetectionSets.compositeSources();
        if (sourceFolder != null) {
            System.out.println("composite sources: " + sources.size() + " faces from " + sourceFolder);
        }
        try (MtcnnDetector detector = new MtcnnDetector(config)) {
            // Composites are made one at a time as they are scored: with --tones there are hundreds.
            List<Supplier<LabelledImage>> images = new ArrayList<>();
            if (!sources.isEmpty()) {
                images.addAll(composites(sources));
            }
            if (!noBuiltin && !noSamples) {
                DetectionSets.samples().forEach(i -> images.add(() -> i));
            }
            if (scenes != null) {
                DetectionSets.scenes(scenes).forEach(i -> images.add(() -> i));
            }
            for (Path folder : labelled) {
                DetectionSets.folder(folder).forEach(i -> images.add(() -> i));
            }
            try (ProgressBar progress = new ProgressBar(System.err, "eval detect", images.size())) {
                for (Supplier<LabelledImage> next : images) {
                    LabelledImage image = next.get();
                    try (image) {
                        long t0 = System.nanoTime();
                        List<DetectedFace> faces = detector.detect(image.image());
                        nanos += System.nanoTime() - t0;
                        detectedImages++;
                        DetectionScore s = scores.computeIfAbsent(image.set(), k -> new DetectionScore());
                        DetectionScore.Outcome outcome = s.add(image, faces);
                        if (!image.set().startsWith("composites, skin")) {
                            all.add(image, faces); // the tone sets repeat the composites' faces
                        }
                        if (annotate != null) {
                            OutcomeDrawing.write(annotate, image, outcome);
                        }
                    }
                    progress.step(image.name());
                }
            }
            if (oneFace != null) {
                List<Path> listed = DetectionSets.oneFaceImages(oneFace);
                List<Path> files = new ArrayList<>();
                for (int i = 0; i < listed.size(); i += Math.max(1, every)) {
                    files.add(listed.get(i));
                }
                DetectionScore s = new DetectionScore();
                scores.put("one face each: " + oneFace, s);
                try (ProgressBar progress = new ProgressBar(System.err, "eval detect", files.size())) {
                    for (Path file : files) {
                        try (LabelledImage image = DetectionSets.oneFace(oneFace, file)) {
                            long t0 = System.nanoTime();
                            s.add(image, detector.detect(image.image()));
                            nanos += System.nanoTime() - t0;
                            detectedImages++;
                        } catch (ImageDecodeException e) {
                            System.err.println("eval detect: skipped " + e.getMessage());
                        }
                        progress.step(file.getFileName().toString());
                    }
                }
            }
        }
        sources.stream().map(Composites.SourceFace::photo).distinct().forEach(Mat::close);
        scores.forEach((name, s) -> {
            ScoreReport.print(name, s, System.out);
            if (misses) {
                ScoreReport.printMisses(s, System.out);
            }
        });
        if (scores.size() > 1 && all.images > 0) {
            ScoreReport.print("all labelled sets", all, System.out);
        }
        System.out.printf(Locale.ROOT, "%ndetection time: %.1f ms per image (%d images, wall clock)%n",
                detectedImages == 0 ? 0 : nanos / 1e6 / detectedImages, detectedImages);
        return 0;
    }

    private List<Supplier<LabelledImage>> composites(List<Composites.SourceFace> sources) throws IOException {
        Composites maker = new Composites(sources, seed);
        List<Supplier<LabelledImage>> out = new ArrayList<>();
        for (int i = 0; i < composites; i++) {
            int index = i;
            out.add(() -> maker.image(index));
        }
        if (saveComposites != null) {
            save(maker, saveComposites);
        }
        if (tones) {
            for (Composites.SourceFace source : sources) {
                System.out.printf(Locale.ROOT, "composite source face %.0f,%.0f: skin ITA %.0f%n", source.face().x1(),
                        source.face().y1(), SkinTone.itaOf(source.skin()));
            }
            for (SkinTone tone : SkinTone.GROUPS) {
                Composites toned = maker.withTone(tone);
                for (int i = 0; i < composites; i++) {
                    int index = i;
                    out.add(() -> toned.image(index));
                }
                if (saveComposites != null) {
                    save(toned, saveComposites.resolve(String.format(Locale.ROOT, "ita%+.0f", tone.ita())));
                }
            }
        }
        return out;
    }

    private void save(Composites maker, Path folder) throws IOException {
        Files.createDirectories(folder);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(folder.resolve(LabelFile.NAME)))) {
            w.println("file,x1,y1,x2,y2,rotation");
            for (int i = 0; i < composites; i++) {
                try (LabelledImage image = maker.image(i)) {
                    String file = image.name() + ".png";
                    imwrite(folder.resolve(file).toString(), image.image());
                    for (TruthFace f : image.faces()) {
                        w.printf(Locale.ROOT, "%s,%.1f,%.1f,%.1f,%.1f,%.0f%n", file, f.x1(), f.y1(), f.x2(), f.y2(),
                                f.rotation());
                    }
                }
            }
        }
    }

    private MtcnnConfig config() {
        Settings s = Settings.load(configFile).with(extra);
        if (minFaceSize != null) {
            s = s.with("detector.min.face.size", minFaceSize.toString());
        }
        return MtcnnConfig.from(s);
    }
}
