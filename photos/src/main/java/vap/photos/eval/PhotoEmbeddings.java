package vap.photos.eval;

import org.bytedeco.opencv.opencv_core.Mat;
import vap.photos.PhotoFaces;
import vap.recognizer.embed.FaceEmbedder;
import vap.vision.face.DetectedFace;
import vap.vision.image.ImageDecodeException;
import vap.vision.image.ImageDecoder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The embedding of the subject of each labelled photo, through the project's own detector, alignment and network,
 * cached so every photo is embedded once. A labelled photo may show bystanders: the subject is the face whose box
 * centre is nearest the photo's centre (LFW's photos are centred on their subject), and "faces" counts them all.
 */
public final class PhotoEmbeddings {
    private static final int SAVE_EVERY = 250;

    private final PhotoFaces photos;
    private final FaceEmbedder embedder;
    private final EmbeddingCache cache;
    private final Path cacheFile;

    public PhotoEmbeddings(PhotoFaces photos, FaceEmbedder embedder, EmbeddingCache cache, Path cacheFile) {
        this.photos = photos;
        this.embedder = embedder;
        this.cache = cache;
        this.cacheFile = cacheFile;
    }

    /** Makes sure every photo of {@code files} (keys relative to {@code root}) is in the cache; progress per photo. */
    public void embedAll(Path root, List<Path> files, Consumer<Path> progress) {
        List<Path> todo = new ArrayList<>();
        for (Path f : files) {
            if (cache.get(key(root, f)).isEmpty()) {
                todo.add(f);
            } else {
                progress.accept(f);
            }
        }
        int sinceSave = 0;
        int batch = embedder.batchSize();
        for (int from = 0; from < todo.size(); from += batch) {
            List<Path> chunk = todo.subList(from, Math.min(todo.size(), from + batch));
            List<Mat> crops = new ArrayList<>();
            List<PhotoFaces.Face> open = new ArrayList<>();
            List<Integer> faceCounts = new ArrayList<>();
            try {
                for (Path f : chunk) {
                    List<PhotoFaces.Face> faces = List.of();
                    float cx = 0;
                    float cy = 0;
                    try (Mat image = ImageDecoder.decode(f)) {
                        faces = photos.faces(image);
                        cx = image.cols() / 2f;
                        cy = image.rows() / 2f;
                    } catch (ImageDecodeException e) {
                        // an undecodable photo counts as one without a face; the report lists it
                    }
                    open.addAll(faces);
                    faceCounts.add(faces.size());
                    PhotoFaces.Face subject = subject(faces, cx, cy);
                    crops.add(subject == null ? null : subject.aligned());
                }
                List<float[]> embedded = embedder.embed(crops.stream().filter(c -> c != null).toList());
                int next = 0;
                for (int i = 0; i < chunk.size(); i++) {
                    float[] e = crops.get(i) == null ? null : embedded.get(next++);
                    cache.put(key(root, chunk.get(i)), new EmbeddingCache.Entry(faceCounts.get(i), e));
                    progress.accept(chunk.get(i));
                }
            } finally {
                open.forEach(PhotoFaces.Face::close);
            }
            sinceSave += chunk.size();
            if (cacheFile != null && sinceSave >= SAVE_EVERY) {
                cache.save(cacheFile);
                sinceSave = 0;
            }
        }
        if (cacheFile != null && !todo.isEmpty()) {
            cache.save(cacheFile);
        }
    }

    /** The cached result of a photo; {@link #embedAll} must have seen it. */
    public EmbeddingCache.Entry of(Path root, Path file) {
        return cache.get(key(root, file)).orElseThrow(() -> new IllegalStateException(file + " was not embedded"));
    }

    public static String key(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** The face whose box centre is nearest the photo's centre (cx, cy); null when there is none. */
    static PhotoFaces.Face subject(List<PhotoFaces.Face> faces, float cx, float cy) {
        return faces.stream().min(Comparator.comparingDouble(f -> offCentre(f.detection(), cx, cy))).orElse(null);
    }

    private static double offCentre(DetectedFace d, float cx, float cy) {
        return Math.hypot((d.x1() + d.x2()) / 2 - cx, (d.y1() + d.y2()) / 2 - cy);
    }
}
