package vap.detector.service;

import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.core.kafka.Topics;
import vap.core.worker.WorkerConfig;
import vap.detector.mtcnn.MtcnnConfig;
import vap.detector.quality.QualityConfig;
import vap.detector.track.TrackerConfig;
import vap.vision.image.ImageDecoder;

import java.time.Duration;

/**
 * The detector service's configuration (README "Configuration", keys {@code detector.*}).
 *
 * @param mtcnn           the cascade: device, minimum face size, thresholds, pyramid, batch limits
 * @param batchSize       most frames taken from Kafka and detected together (max.poll.records)
 * @param threads         worker threads in this process, each its own consumer in the group
 * @param intraOpThreads  PyTorch threads per forward pass (0: PyTorch's default, one per core); with several
 *                        workers on a CPU, workers x this should not exceed the cores
 * @param groupId         consumer group shared by all detector replicas
 * @param jpegQuality     JPEG quality (0-100) of the crops in FaceCrop records
 * @param track           the face tracker ({@code detector.track.*})
 * @param quality         the face quality score ({@code detector.quality.*})
 * @param maxImagePixels  a frame whose header declares more pixels is dead-lettered before it is decoded
 * @param stallTimeout    health reports a worker that has neither been idle nor committed a batch for this long
 * @param motion          which frames of a static scene MTCNN may skip ({@code detector.motion.*})
 */
public record DetectorConfig(MtcnnConfig mtcnn, int batchSize, int threads, int intraOpThreads, String groupId,
                             int jpegQuality, Topics topics, TrackerConfig track, QualityConfig quality,
                             long maxImagePixels, Duration stallTimeout, MotionGateConfig motion) {

    public static final String PREFIX = "detector.";

    public DetectorConfig {
        if (batchSize < 1) {
            throw new ConfigException("detector.batch.size must be at least 1, got " + batchSize);
        }
        if (threads < 1) {
            throw new ConfigException("detector.threads must be at least 1, got " + threads);
        }
        if (intraOpThreads < 0) {
            throw new ConfigException("detector.intraop.threads must be 0 (PyTorch default) or more, got "
                    + intraOpThreads);
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new ConfigException("detector.crop.jpeg.quality must lie in 1..100, got " + jpegQuality);
        }
        if (maxImagePixels < 1) {
            throw new ConfigException("detector.max.image.pixels must be at least 1, got " + maxImagePixels);
        }
        if (track == null || quality == null || motion == null) {
            throw new ConfigException("detector configuration: the tracker, quality and motion settings are required");
        }
        if (motion.enabled() && motion.idleInterval().compareTo(track.closeAfter()) >= 0) {
            // Checked less often than a track closes, a face that stopped moving would lose its track.
            throw new ConfigException("detector.motion.idle.interval (" + motion.idleInterval() + ") must be shorter than "
                    + "detector.track.close.after (" + track.closeAfter() + ")");
        }
    }

    public static DetectorConfig from(Settings s) {
        MtcnnConfig mtcnn;
        try {
            mtcnn = MtcnnConfig.from(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("detector configuration: " + e.getMessage());
        }
        return new DetectorConfig(mtcnn,
                s.integer("detector.batch.size", 8),
                s.integer("detector.threads", 1),
                s.integer("detector.intraop.threads", 1),
                s.string("detector.group.id", "vap-detector"),
                s.integer("detector.crop.jpeg.quality", 95),
                Topics.from(s),
                TrackerConfig.from(s),
                QualityConfig.from(s),
                s.longValue("detector.max.image.pixels", ImageDecoder.DEFAULT_MAX_PIXELS),
                WorkerConfig.stallTimeout(s, "detector"),
                MotionGateConfig.from(s));
    }
}
