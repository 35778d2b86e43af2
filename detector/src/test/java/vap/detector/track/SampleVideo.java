package vap.detector.track;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import vap.detector.mtcnn.MtcnnDetector;
import vap.ingest.decode.MotionMeter;
import vap.ingest.IngestConfig;
import vap.testsupport.SamplePhotos;
import vap.vision.face.DetectedFace;
import vap.vision.image.ImageDecoder;
import vap.vision.image.JpegEncoder;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The sample camera of {@code vap run} as the detector receives it, without Kafka: the demo's scenes (demo's
 * SamplePipeline.SCENES: sample2, sample1, sample5, sample1, 6 s each, then the loop back to sample2, all hard cuts)
 * rendered like demo's SampleScenes (960 x 540, cover the frame, 12% push-in over each scene, 10 fps), sampled at
 * {@code vap run}'s 2 fps, measured by ingest's own MotionMeter, JPEG-encoded and decoded as on the frames topic,
 * and detected with the real MTCNN. The demo module depends on the detector, so its few rendering lines are
 * repeated here (keep them in step with SampleScenes.coverAndZoom).
 */
final class SampleVideo {
    static final int WIDTH = 960;
    static final int HEIGHT = 540;
    static final int VIDEO_FPS = 10;
    static final int SAMPLED_FPS = 2;
    static final double SCENE_SECONDS = 6;
    static final int[] SCENES = {2, 1, 5, 1};
    private static final int INGEST_JPEG_QUALITY = 85;

    /** One frame as the detector sees it: capture time in the run, its scene, Frame.motion, its thumbnail, faces. */
    record SampledFrame(long millis, int scene, float motion, SceneThumbnail picture, List<DetectedFace> faces) {
        /** True for the first frame after a hard cut (and the first frame of the run). */
        boolean afterCut(SampledFrame previous) {
            return previous == null || previous.scene != scene;
        }
    }

    private SampleVideo() {
    }

    /** {@code seconds} of the looping sample camera, every frame ingest publishes at 2 fps. */
    static List<SampledFrame> run(MtcnnDetector detector, double seconds) {
        List<Mat> photos = new ArrayList<>();
        for (int n : SCENES) {
            photos.add(decode(SamplePhotos.bytes(n)));
        }
        int perScene = (int) Math.round(SCENE_SECONDS * VIDEO_FPS);
        int step = VIDEO_FPS / SAMPLED_FPS;
        List<SampledFrame> out = new ArrayList<>();
        try (MotionMeter motion = new MotionMeter(IngestConfig.Motion.DEFAULT_CELL_THRESHOLD)) {
            for (int f = 0; f < Math.round(seconds * VIDEO_FPS); f += step) {
                int inLoop = f % (perScene * SCENES.length);
                int scene = inLoop / perScene;
                int i = inLoop % perScene;
                double zoom = 1.0 + 0.12 * i / Math.max(1, perScene - 1); // as SampleScenes: slow push-in
                try (Mat picture = coverAndZoom(photos.get(scene), zoom)) {
                    float changed = motion.measure(picture);
                    try (Mat received = decode(JpegEncoder.encode(picture, INGEST_JPEG_QUALITY))) {
                        out.add(new SampledFrame(f * 1000L / VIDEO_FPS, scene, changed, SceneThumbnail.of(received),
                                detector.detect(received)));
                    }
                }
            }
        } finally {
            photos.forEach(Mat::close);
        }
        return out;
    }

    private static Mat decode(byte[] jpeg) {
        return ImageDecoder.decode(jpeg, "sample video frame");
    }

    /** As demo's SampleScenes.coverAndZoom: scale to cover the frame, zoom in, crop the centre. */
    static Mat coverAndZoom(Mat photo, double zoom) {
        double scale = Math.max((double) WIDTH / photo.cols(), (double) HEIGHT / photo.rows()) * zoom;
        int w = (int) Math.ceil(photo.cols() * scale);
        int h = (int) Math.ceil(photo.rows() * scale);
        try (Mat scaled = new Mat(); Size size = new Size(w, h);
             Rect centre = new Rect((w - WIDTH) / 2, (h - HEIGHT) / 2, WIDTH, HEIGHT)) {
            resize(photo, scaled, size, 0, 0, INTER_AREA);
            try (Mat view = new Mat(scaled, centre)) {
                return view.clone();
            }
        }
    }
}
