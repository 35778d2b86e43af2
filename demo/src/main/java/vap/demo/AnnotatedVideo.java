package vap.demo;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import vap.core.serde.ByteBuffers;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.messages.FaceCrop;
import vap.messages.Frame;
import vap.messages.Match;
import vap.messages.Sighting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

/**
 * The run as a video: each camera's published frames with every detected face drawn on them: its track id and
 * the track's decision as of that frame (name and score in green once the track's Match came, "unknown" in
 * amber), and the age where the face was embedded, as the live-camera tutorial overlays its predictions.
 * An untracked face (detector before tracking) shows its own sighting's result instead.
 */
public final class AnnotatedVideo {
    private AnnotatedVideo() {
    }

    /** Writes one MP4 per camera into {@code dir}; returns the files. */
    public static List<Path> write(KafkaSettings kafka, Topics topics, Instant since, double fps, Path dir) {
        Map<String, List<FaceCrop>> facesByFrame = new HashMap<>();
        for (var f : TopicReader.readAll(kafka, topics.faces(), FaceCrop.class,
                x -> !x.getFrame().getCaptureTimestamp().isBefore(since))) {
            facesByFrame.computeIfAbsent(key(f.value().getFrame().getCameraId(), f.value().getFrame().getSequence()),
                    k -> new java.util.ArrayList<>()).add(f.value());
        }
        Map<String, Sighting> sightingByFace = new HashMap<>();
        for (var s : TopicReader.readAll(kafka, topics.sightings(), Sighting.class,
                x -> !x.getFrame().getCaptureTimestamp().isBefore(since))) {
            Sighting v = s.value();
            sightingByFace.put(key(v.getFrame().getCameraId(), v.getFrame().getSequence()) + "#" + v.getFaceIndex(), v);
        }
        Map<String, List<Match>> matchesByTrack = new HashMap<>();
        for (var m : TopicReader.readAll(kafka, topics.matches(), Match.class,
                x -> x.getTrackId() != null && !x.getFrame().getCaptureTimestamp().isBefore(since))) {
            matchesByTrack.computeIfAbsent(m.value().getTrackId(), k -> new java.util.ArrayList<>()).add(m.value());
        }
        matchesByTrack.values().forEach(l -> l.sort(java.util.Comparator.comparing(x -> x.getFrame().getCaptureTimestamp())));
        Map<String, Path> frameDirs = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        try {
            Files.createDirectories(dir);
            for (var f : TopicReader.readAll(kafka, topics.frames(), Frame.class,
                    x -> !x.getCaptureTimestamp().isBefore(since))) {
                Frame frame = f.value();
                Path frames = frameDirs.computeIfAbsent(frame.getCameraId(), cam -> {
                    try {
                        return Files.createTempDirectory(dir, "frames-" + cam.replaceAll("[^A-Za-z0-9_-]", "_"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                Mat img = imdecode(new Mat(ByteBuffers.copyOf(frame.getJpeg())), IMREAD_COLOR);
                String frameKey = key(frame.getCameraId(), frame.getSequence());
                for (FaceCrop face : facesByFrame.getOrDefault(frameKey, List.of())) {
                    Sighting own = sightingByFace.get(frameKey + "#" + face.getFaceIndex());
                    draw(img, face, own, decisionAt(matchesByTrack.get(face.getTrackId()), face));
                }
                int n = counts.merge(frame.getCameraId(), 1, Integer::sum) - 1;
                imwrite(frames.resolve(String.format("f%05d.jpg", n)).toString(), img);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> out = new java.util.ArrayList<>();
        frameDirs.forEach((cam, frames) -> {
            Path mp4 = dir.resolve("annotated-" + cam.replaceAll("[^A-Za-z0-9_-]", "_") + ".mp4");
            VideoEncoder.encode(frames, fps, mp4);
            out.add(mp4);
        });
        return out;
    }

    /** The track's latest Match at or before this face's capture (null: not decided yet, or unknown). */
    private static Match decisionAt(List<Match> matches, FaceCrop face) {
        Match at = null;
        for (Match m : matches == null ? List.<Match>of() : matches) {
            if (!m.getFrame().getCaptureTimestamp().isAfter(face.getFrame().getCaptureTimestamp())) {
                at = m;
            }
        }
        return at;
    }

    private static void draw(Mat img, FaceCrop face, Sighting own, Match decision) {
        String name = null;
        float score = 0;
        if (face.getTrackId() == null) {
            if (own != null && own.getMatched() && !own.getCandidates().isEmpty()) {
                name = own.getCandidates().get(0).getDisplayName();
                score = own.getCandidates().get(0).getScore();
            }
        } else if (decision != null) {
            name = decision.getDisplayName();
            score = decision.getScore();
        }
        Scalar colour = name != null ? new Scalar(60, 200, 60, 0) : new Scalar(0, 180, 255, 0);
        var b = face.getBox();
        Point tl = new Point(Math.round(b.getX1()), Math.round(b.getY1()));
        Point br = new Point(Math.round(b.getX2()), Math.round(b.getY2()));
        rectangle(img, tl, br, colour, 2, LINE_AA, 0);
        String track = face.getTrackId() == null ? "" : "#" + shortTrack(face.getTrackId()) + " ";
        String label = track + (name != null ? String.format(Locale.ROOT, "%s %.2f", name, score) : "unknown");
        String detail = own != null ? String.format(Locale.ROOT, "age %.0f  det %.2f", own.getAge(), face.getScore())
                : String.format(Locale.ROOT, "det %.2f", face.getScore());
        putText(img, label, new Point(tl.x(), Math.max(12, tl.y() - 18)), FONT_HERSHEY_SIMPLEX, 0.5, colour, 1, LINE_AA, false);
        putText(img, detail, new Point(tl.x(), Math.max(24, tl.y() - 4)), FONT_HERSHEY_SIMPLEX, 0.45, colour, 1, LINE_AA, false);
    }

    /** Track ids are long (unique across detectors and cameras); the video shows their last part. */
    private static String shortTrack(String trackId) {
        int cut = Math.max(trackId.lastIndexOf('/'), Math.max(trackId.lastIndexOf(':'), trackId.lastIndexOf('-')));
        return cut >= 0 && cut < trackId.length() - 1 ? trackId.substring(cut + 1) : trackId;
    }

    private static String key(String camera, long seq) {
        return camera + "#" + seq;
    }
}
