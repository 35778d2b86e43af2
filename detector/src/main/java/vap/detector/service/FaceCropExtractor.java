package vap.detector.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.bytedeco.opencv.opencv_core.Mat;
import vap.core.serde.ByteBuffers;
import vap.core.worker.BatchProcessor;
import vap.core.worker.Incoming;
import vap.core.worker.Outbox;
import vap.vision.align.FaceAligner;
import vap.vision.face.DetectedFace;
import vap.vision.face.Landmark;
import vap.vision.image.ImageDecodeException;
import vap.vision.image.ImageDecoder;
import vap.vision.image.JpegEncoder;
import vap.detector.mtcnn.MtcnnDetector;
import vap.detector.quality.FaceQualityMeter;
import vap.detector.track.FaceTracker;
import vap.detector.track.SceneThumbnail;
import vap.detector.track.TrackAssignment;
import vap.messages.Box;
import vap.messages.FaceCrop;
import vap.messages.FaceQuality;
import vap.messages.Frame;
import vap.messages.FrameRef;
import vap.messages.Point;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The detector's work on a batch of frames: leave out the frames of a static scene the {@link MotionGate} skips
 * (counted, nothing published, the tracker not moved), decode each other JPEG (an undecodable one goes to the
 * dead-letter topic with the reason), run MTCNN on all decoded frames together, give each face its camera's track (frames in
 * the batch's order, which is capture order per camera), measure its quality on the aligned chip, and publish
 * one {@link FaceCrop} per face to the faces topic, keyed by camera. A frame the tracker takes as a new scene (its
 * motion and thumbnail, see {@link SceneThumbnail}) closes its camera's tracks first. A frame without faces
 * publishes nothing but still moves its camera's tracks on in time; the frame counters tell them apart.
 * Thread-safe: every worker thread may share one instance (the detector and tracker are, the aligner and
 * quality meter are stateless).
 */
public final class FaceCropExtractor implements BatchProcessor<Frame> {
    private final MtcnnDetector detector;
    private final FaceTracker tracker;
    private final MotionGate gate;
    private final FaceQualityMeter qualityMeter;
    private final FaceAligner aligner = new FaceAligner();
    private final String facesTopic;
    private final int jpegQuality;
    private final long maxImagePixels;
    private final Counter framesWithFaces;
    private final Counter framesWithoutFaces;
    private final Counter undecodableFrames;
    private final Counter staticFrames;
    private final Counter faces;

    public FaceCropExtractor(MtcnnDetector detector, FaceTracker tracker, MotionGate gate, FaceQualityMeter qualityMeter,
                             String facesTopic, int jpegQuality, long maxImagePixels, MeterRegistry metrics) {
        this.detector = detector;
        this.gate = gate;
        this.maxImagePixels = maxImagePixels;
        this.tracker = tracker;
        this.qualityMeter = qualityMeter;
        this.facesTopic = facesTopic;
        this.jpegQuality = jpegQuality;
        Tags tags = Tags.of("service", "detector");
        this.framesWithFaces = metrics.counter("vap.detector.frames", tags.and("result", "faces"));
        this.framesWithoutFaces = metrics.counter("vap.detector.frames", tags.and("result", "no_faces"));
        this.undecodableFrames = metrics.counter("vap.detector.frames", tags.and("result", "undecodable"));
        this.staticFrames = metrics.counter("vap.detector.frames", tags.and("result", "skipped_static"));
        this.faces = metrics.counter("vap.detector.faces", tags);
    }

    @Override
    public void process(List<Incoming<Frame>> batch, Outbox out) {
        List<Incoming<Frame>> decoded = new ArrayList<>(batch.size());
        List<Mat> images = new ArrayList<>(batch.size());
        try {
            for (Incoming<Frame> in : batch) {
                Frame frame = in.value();
                if (!gate.decide(frame).detect()) {
                    staticFrames.increment(); // not even decoded: a static scene costs no MTCNN and no JPEG decode
                    continue;
                }
                try {
                    images.add(ImageDecoder.decode(ByteBuffers.copyOf(frame.getJpeg()),
                            "camera " + frame.getCameraId() + " frame " + frame.getSequence(), maxImagePixels));
                    decoded.add(in);
                } catch (ImageDecodeException e) {
                    undecodableFrames.increment();
                    out.deadLetter(in, e);
                }
            }
            List<List<DetectedFace>> found = detector.detectBatch(images);
            Instant detectedAt = Instant.now();
            for (int i = 0; i < decoded.size(); i++) {
                Frame frame = decoded.get(i).value();
                List<DetectedFace> frameFaces = found.get(i);
                (frameFaces.isEmpty() ? framesWithoutFaces : framesWithFaces).increment();
                faces.increment(frameFaces.size());
                // The motion and thumbnail let the tracker tell a hard cut (new people) from a pan (the same ones);
                // the thumbnail (about 2 ms at 960 x 540) only where the rule can use it.
                SceneThumbnail picture = tracker.config().sceneCutOn() && frame.getMotion() != null
                        ? SceneThumbnail.of(images.get(i)) : null;
                List<TrackAssignment> tracks = tracker.assign(frame.getCameraId().toString(), frame.getSequence(),
                        frame.getCaptureTimestamp(), frame.getMotion(), picture, frameFaces);
                for (int j = 0; j < frameFaces.size(); j++) {
                    out.send(facesTopic, frame.getCameraId(), faceCrop(frame, images.get(i), frameFaces.get(j), j,
                            frameFaces.size(), tracks.get(j), detectedAt));
                }
            }
        } finally {
            images.forEach(Mat::close);
        }
    }

    private FaceCrop faceCrop(Frame frame, Mat image, DetectedFace face, int index, int count, TrackAssignment track,
                              Instant detectedAt) {
        byte[] aligned;
        byte[] age;
        FaceQuality quality;
        try (Mat chip = aligner.alignedCrop(image, face); Mat ageCrop = aligner.ageCrop(image, face)) {
            quality = qualityMeter.measure(face, chip); // on the chip itself, before JPEG adds its own blur
            aligned = JpegEncoder.encode(chip, jpegQuality);
            age = JpegEncoder.encode(ageCrop, jpegQuality);
        }
        List<Point> landmarks = new ArrayList<>(DetectedFace.LANDMARK_COUNT);
        for (Landmark p : face.landmarks()) {
            landmarks.add(new Point(p.x(), p.y()));
        }
        return FaceCrop.newBuilder()
                .setFrame(new FrameRef(frame.getCameraId(), frame.getSequence(), frame.getCaptureTimestamp()))
                .setFaceIndex(index)
                .setFaceCount(count)
                .setFrameWidth(image.cols())
                .setFrameHeight(image.rows())
                .setBox(new Box(face.x1(), face.y1(), face.x2(), face.y2()))
                .setScore(face.score())
                .setLandmarks(landmarks)
                .setAlignedCrop(ByteBuffer.wrap(aligned))
                .setAgeCrop(ByteBuffer.wrap(age))
                .setDetectedTimestamp(detectedAt)
                .setTrackId(track == null ? null : track.trackId())
                .setTrackHits(track == null ? 0 : track.hits())
                .setTrackFirstSeenTimestamp(track == null ? null : track.firstSeen())
                .setQuality(quality)
                .build();
    }
}
