package vap.detector.service;

import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.core.kafka.Topics;
import vap.detector.mtcnn.MtcnnConfig;

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
 */
public record DetectorConfig(MtcnnConfig mtcnn, int batchSize, int threads, int intraOpThreads, String groupId,
                             int jpegQuality, Topics topics) {

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
                Topics.from(s));
    }
}
