package vap.photos.enrol;

import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.vision.image.ImageDecodeException;
import vap.vision.image.JpegEncoder;
import vap.messages.GalleryEntry;
import vap.recognizer.RecognizerConfig;
import vap.recognizer.embed.EmbedConfig;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;
import vap.photos.PhotoFaces;
import vap.recognizer.watchlist.GalleryPublisher;
import vap.recognizer.watchlist.Watchlist;
import vap.models.InferenceDevice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Enrols people from photos: finds the face in each photo, embeds its aligned crop, and publishes one
 * GalleryEntry per person (all their photos' embeddings) to the gallery topic, from which every recognizer
 * replica builds its watchlist. The plain Java API behind the enroll command and the launcher's sample
 * watchlist:
 * <pre>
 *   try (Enroller enroller = Enroller.create(settings)) {
 *       enroller.enrolFolder(Path.of("watchlist"), "vip", (done, total) -&gt; {});
 *   }
 * </pre>
 */
public final class Enroller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Enroller.class);
    /** The enrolled photo is the 150x150 aligned chip: about 5 KB at this quality, enough to recognise a face by eye. */
    private static final int PHOTO_QUALITY = 85;
    private static final Set<String> PHOTO_SUFFIXES = Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", "gif", "pgm", "ppm");

    private final PhotoFaces photos;
    private final FaceEmbedder embedder;
    private final Consumer<GalleryEntry> sink;
    private final AutoCloseable sinkResource;

    /** Enrols into {@code sink} (e.g. a Watchlist in memory); {@link #create} publishes to Kafka instead. */
    public Enroller(PhotoFaces photos, FaceEmbedder embedder, Consumer<GalleryEntry> sink) {
        this(photos, embedder, sink, null);
    }

    private Enroller(PhotoFaces photos, FaceEmbedder embedder, Consumer<GalleryEntry> sink, AutoCloseable sinkResource) {
        this.photos = photos;
        this.embedder = embedder;
        this.sink = sink;
        this.sinkResource = sinkResource;
    }

    /**
     * An enroller that publishes to the gallery topic of the Kafka cluster in {@code settings}; faces are found with
     * the {@code detector.*} settings, embedded with the {@code recognizer.*} ones.
     */
    public static Enroller create(Settings settings) {
        RecognizerConfig config = RecognizerConfig.from(settings);
        GalleryPublisher publisher = new GalleryPublisher(KafkaSettings.from(settings), Topics.from(settings).gallery());
        return new Enroller(PhotoFaces.configured(settings, PhotoFaces.CropMode.ALIGNED),
                EmbedConfig.from(settings).embedder(new FaceEmbeddingNet(InferenceDevice.parse(config.device())), config.modelBatch()),
                publisher::enrol, publisher);
    }

    /** Enrols one person from one or several photos; photos without exactly one (or the chosen) face are rejected. */
    public Enrolment enrol(String identityId, String displayName, String watchlist, List<Path> photoFiles, FaceChoice choice) {
        if (identityId == null || identityId.isBlank()) {
            throw new IllegalArgumentException("an identity id is required");
        }
        List<Path> accepted = new ArrayList<>();
        Map<Path, String> rejected = new LinkedHashMap<>();
        List<PhotoFaces.Face> found = new ArrayList<>();
        List<float[]> embeddings;
        byte[] photo = null;
        try {
            List<Mat> chosen = new ArrayList<>();
            for (Path file : photoFiles) {
                List<PhotoFaces.Face> faces;
                try {
                    faces = photos.faces(file);
                } catch (ImageDecodeException e) {
                    rejected.put(file, e.getMessage());
                    continue;
                }
                found.addAll(faces);
                PhotoFaces.Face face = choose(faces, choice, rejected, file);
                if (face != null) {
                    if (photo == null) {
                        photo = JpegEncoder.encode(face.aligned(), PHOTO_QUALITY);
                    }
                    chosen.add(face.aligned());
                    accepted.add(file);
                }
            }
            embeddings = embedder.embed(chosen); // all of one person's photos in one batch
        } finally {
            found.forEach(PhotoFaces.Face::close);
        }
        if (!embeddings.isEmpty()) {
            GalleryEntry entry = Watchlist.entry(identityId,
                    displayName == null || displayName.isBlank() ? identityId : displayName, watchlist, embeddings,
                    embedder.config().describe());
            entry.setPhotoJpeg(ByteBuffer.wrap(photo)); // the console shows it beside alerts; a tombstone erases it
            sink.accept(entry);
        }
        rejected.forEach((f, why) -> log.warn("enrol {}: {} rejected: {}", identityId, f, why));
        return new Enrolment(identityId, List.copyOf(accepted), Map.copyOf(rejected));
    }

    /**
     * Enrols every sub-folder of {@code root} as one person (folder name = identity id and display name), from
     * the photos in it; {@code progress} hears each photo once its person is done, with the number of photos in all.
     */
    public List<Enrolment> enrolFolder(Path root, String watchlist, BiConsumer<Path, Integer> progress) {
        Map<Path, List<Path>> people = peopleIn(root);
        int total = people.values().stream().mapToInt(List::size).sum();
        List<Enrolment> out = new ArrayList<>();
        for (Map.Entry<Path, List<Path>> person : people.entrySet()) {
            String id = person.getKey().getFileName().toString();
            Enrolment e = enrol(id, id, watchlist, person.getValue(), FaceChoice.ONLY);
            person.getValue().forEach(p -> progress.accept(p, total));
            out.add(e);
        }
        return out;
    }

    /** One folder per person, holding that person's photos; both in name order. */
    public static Map<Path, List<Path>> peopleIn(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + " is not a folder (expected one sub-folder of photos per person)");
        }
        Map<Path, List<Path>> people = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                List<Path> files = photosIn(dir);
                if (!files.isEmpty()) {
                    people.put(dir, files);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + root, e);
        }
        if (people.isEmpty()) {
            throw new IllegalArgumentException(root + " has no sub-folders with photos (expected <root>/<person>/<photo>)");
        }
        return people;
    }

    /** The image files directly in {@code dir}, by name. */
    public static List<Path> photosIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(Enroller::isPhoto).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir, e);
        }
    }

    /** By file name: the image suffixes OpenCV decodes. */
    public static boolean isPhoto(Path p) {
        String name = p.getFileName().toString().toLowerCase();
        int dot = name.lastIndexOf('.');
        return dot > 0 && PHOTO_SUFFIXES.contains(name.substring(dot + 1));
    }

    private static PhotoFaces.Face choose(List<PhotoFaces.Face> faces, FaceChoice choice, Map<Path, String> rejected, Path file) {
        if (faces.isEmpty()) {
            rejected.put(file, "no face found");
            return null;
        }
        if (choice.index() != null) {
            if (choice.index() >= faces.size()) {
                rejected.put(file, "face " + choice.index() + " asked for, but only " + faces.size() + " found");
                return null;
            }
            return faces.get(choice.index());
        }
        if (choice.largest()) {
            return faces.stream().max(Comparator.comparingDouble(f -> f.detection().width() * f.detection().height())).orElseThrow();
        }
        if (faces.size() > 1) {
            rejected.put(file, faces.size() + " faces found; choose one (--face N, N from 0 in detection-score order, or --largest)");
            return null;
        }
        return faces.get(0);
    }

    @Override
    public void close() {
        try {
            photos.close();
            embedder.close();
        } finally {
            if (sinkResource != null) {
                try {
                    sinkResource.close();
                } catch (Exception e) {
                    log.warn("closing the gallery publisher: {}", e.toString());
                }
            }
        }
    }
}
