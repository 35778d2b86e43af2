package vap.console.watchlist;

import vap.console.auth.Sessions;
import vap.core.config.Settings;
import vap.photos.PhotoFaces;
import vap.photos.enrol.Enroller;
import vap.photos.enrol.Enrolment;
import vap.photos.enrol.FaceChoice;
import vap.vision.image.JpegEncoder;
import vap.models.InferenceDevice;
import vap.recognizer.RecognizerConfig;
import vap.recognizer.embed.EmbedConfig;
import vap.recognizer.embed.FaceEmbedder;
import vap.recognizer.embed.FaceEmbeddingNet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Enrolment by upload: the photos are kept in a temporary folder while the analyst chooses the face (when a photo
 * shows several), then the photos module's Enroller publishes the person to the gallery topic. The networks load
 * on the first enrolment, not at console start, and one enrolment runs at a time.
 */
public final class Enrolments implements AutoCloseable {
    /** An upload waiting for its face to be chosen. */
    public record Pending(String token, String identityId, String displayName, String watchlist, List<Path> photos,
                          List<byte[]> faces) {
    }

    /** A photo as uploaded: its file name and bytes. */
    public record Upload(String filename, InputStream content) {
    }

    private final Settings settings;
    private final Path uploads;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private Enroller enroller;
    private PhotoFaces photoFaces;
    private FaceEmbedder embedder;

    public Enrolments(Settings settings) throws IOException {
        this.settings = settings;
        this.uploads = Files.createTempDirectory("vap-console-uploads");
    }

    /** Saves the photos; detects the faces of a single photo so that the analyst can choose among several. */
    public synchronized Pending upload(String identityId, String displayName, String watchlist, List<Upload> files)
            throws IOException {
        String token = Sessions.randomToken();
        Path dir = Files.createDirectories(uploads.resolve(token));
        List<Path> saved = new ArrayList<>();
        int n = 0;
        for (Upload u : files) {
            String suffix = u.filename() == null || !u.filename().contains(".") ? ".jpg"
                    : u.filename().substring(u.filename().lastIndexOf('.')).replaceAll("[^A-Za-z0-9.]", "");
            Path p = dir.resolve("photo-" + n++ + suffix);
            try (InputStream in = u.content()) {
                Files.copy(in, p);
            }
            saved.add(p);
        }
        List<byte[]> faces = new ArrayList<>();
        if (saved.size() == 1) {
            List<PhotoFaces.Face> found = photoFaces().faces(saved.get(0));
            try {
                for (PhotoFaces.Face f : found) {
                    faces.add(JpegEncoder.encode(f.aligned(), 90));
                }
            } finally {
                found.forEach(PhotoFaces.Face::close);
            }
        }
        Pending p = new Pending(token, identityId, displayName, watchlist, List.copyOf(saved), List.copyOf(faces));
        pending.put(token, p);
        return p;
    }

    /** Enrols the pending upload (face {@code faceIndex} of a single photo, or the only face of each photo). */
    public synchronized Enrolment enrol(String token, Integer faceIndex) throws IOException {
        Pending p = pending.remove(token);
        if (p == null) {
            throw new IllegalArgumentException("this upload is no longer waiting: upload the photos again");
        }
        try {
            if (enroller == null) {
                enroller = Enroller.create(settings);
            }
            return enroller.enrol(p.identityId(), p.displayName(), p.watchlist(), p.photos(),
                    faceIndex == null ? FaceChoice.ONLY : FaceChoice.index(faceIndex));
        } finally {
            delete(p.photos().get(0).getParent());
        }
    }

    /**
     * The embedding of face {@code faceIndex} (0 when the photo shows one) of a pending upload's single photo, for a
     * search of past faces; the upload is used up.
     */
    public synchronized float[] embedding(String token, int faceIndex) throws IOException {
        Pending p = pending.remove(token);
        if (p == null) {
            throw new IllegalArgumentException("this upload is no longer waiting: upload the photo again");
        }
        try {
            List<PhotoFaces.Face> found = photoFaces().faces(p.photos().get(0));
            try {
                if (faceIndex < 0 || faceIndex >= found.size()) {
                    throw new IllegalArgumentException("face " + (faceIndex + 1) + " asked for, " + found.size() + " found");
                }
                if (embedder == null) {
                    RecognizerConfig config = RecognizerConfig.from(settings);
                    embedder = EmbedConfig.from(settings).embedder(new FaceEmbeddingNet(InferenceDevice.parse(config.device())), 1);
                }
                return embedder.embed(found.get(faceIndex).aligned());
            } finally {
                found.forEach(PhotoFaces.Face::close);
            }
        } finally {
            delete(p.photos().get(0).getParent());
        }
    }

    public Pending pending(String token) {
        return pending.get(token);
    }

    private PhotoFaces photoFaces() {
        if (photoFaces == null) {
            photoFaces = PhotoFaces.configured(settings, PhotoFaces.CropMode.ALIGNED);
        }
        return photoFaces;
    }

    private static void delete(Path dir) throws IOException {
        if (dir != null && Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (enroller != null) {
            enroller.close();
        }
        if (photoFaces != null) {
            photoFaces.close();
        }
        if (embedder != null) {
            embedder.close();
        }
        try {
            delete(uploads);
        } catch (IOException e) {
            // a temporary folder: the OS cleans it eventually
        }
    }
}
