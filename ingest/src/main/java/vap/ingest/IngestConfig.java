package vap.ingest;

import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.core.kafka.Topics;
import vap.ingest.camera.CameraFile;
import vap.ingest.camera.Transport;
import vap.ingest.publish.ProducerSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The ingest service's configuration: every {@code ingest.*} key of README "Configuration", with its default.
 * Cameras come from {@link #camerasFile()} (re-read when it changes) and/or from {@code ingest.camera.<id>.<key>}
 * entries in the service configuration itself ({@link #inlineCameras()}), in the camera file's format.
 */
public record IngestConfig(Path camerasFile, Map<String, String> inlineCameras, Duration reloadInterval,
                           double defaultFps, Transport defaultTransport, int jpegQuality, Duration socketTimeout,
                           Duration stallTimeout, Duration backoffInitial, Duration backoffMax,
                           Duration backoffResetAfter, int maxInFlightPerCamera, int decoderThreads,
                           ProducerSettings producer, String clientId, Topics topics, Motion motion) {

    /**
     * The motion measure carried on every frame (README "Motion"): on or off, and how many grey levels a
     * thumbnail cell must change by to count.
     */
    public record Motion(boolean enabled, int cellThreshold) {
        public static final int DEFAULT_CELL_THRESHOLD = 10;

        public Motion {
            if (cellThreshold < 1 || cellThreshold > 255) {
                throw new ConfigException("ingest.motion.cell.threshold = " + cellThreshold + " must be within 1..255");
            }
        }
    }

    public IngestConfig {
        inlineCameras = Map.copyOf(inlineCameras);
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new ConfigException("ingest.jpeg.quality = " + jpegQuality + " must be within 1..100");
        }
        if (!(defaultFps > 0)) {
            throw new ConfigException("ingest.fps = " + defaultFps + " must be above 0");
        }
        if (maxInFlightPerCamera < 1) {
            throw new ConfigException("ingest.max.in.flight = " + maxInFlightPerCamera + " must be at least 1");
        }
        if (backoffInitial.isZero() || backoffInitial.isNegative() || backoffMax.compareTo(backoffInitial) < 0) {
            throw new ConfigException("ingest.backoff.initial must be above 0 and at most ingest.backoff.max");
        }
        if (socketTimeout.isZero() || socketTimeout.isNegative()) {
            throw new ConfigException("ingest.socket.timeout must be above 0");
        }
        if (decoderThreads < 0) {
            throw new ConfigException("ingest.decoder.threads must be 0 (FFmpeg decides) or more");
        }
    }

    public static IngestConfig from(Settings s) {
        String file = s.string("ingest.cameras.file", null);
        ProducerSettings d = ProducerSettings.defaults();
        return new IngestConfig(
                file == null || file.isBlank() ? null : Path.of(file),
                s.withPrefix("ingest.camera"),
                s.duration("ingest.cameras.reload.interval", Duration.ofSeconds(5)),
                s.number("ingest.fps", 5.0),
                Transport.parse("ingest.transport", s.string("ingest.transport", "tcp")),
                s.integer("ingest.jpeg.quality", 85),
                s.duration("ingest.socket.timeout", Duration.ofSeconds(5)),
                s.duration("ingest.stall.timeout", Duration.ofSeconds(10)),
                s.duration("ingest.backoff.initial", Duration.ofSeconds(1)),
                s.duration("ingest.backoff.max", Duration.ofSeconds(60)),
                s.duration("ingest.backoff.reset.after", Duration.ofSeconds(30)),
                s.integer("ingest.max.in.flight", 8),
                s.integer("ingest.decoder.threads", 1),
                new ProducerSettings(
                        s.integer("ingest.kafka.max.request.size", d.maxRequestSize()),
                        s.integer("ingest.kafka.batch.size", d.batchSize()),
                        s.integer("ingest.kafka.linger.ms", d.lingerMs()),
                        s.string("ingest.kafka.compression", d.compression()),
                        s.longValue("ingest.kafka.buffer.memory", d.bufferMemory())),
                s.string("ingest.client.id", "vap-ingest"),
                Topics.from(s),
                new Motion(s.bool("ingest.motion", true),
                        s.integer("ingest.motion.cell.threshold", Motion.DEFAULT_CELL_THRESHOLD)));
    }

    /** Defaults with the given camera file (or none): what tests and the launcher start from. */
    public static IngestConfig defaults(Path camerasFile) {
        Settings s = camerasFile == null ? Settings.empty() : Settings.of(Map.of("ingest.cameras.file", camerasFile.toString()));
        return from(s);
    }

    public CameraFile.Defaults cameraDefaults() {
        return new CameraFile.Defaults(defaultFps, defaultTransport, false);
    }

    public IngestConfig withCamerasFile(Path file) {
        return new IngestConfig(file, inlineCameras, reloadInterval, defaultFps, defaultTransport, jpegQuality,
                socketTimeout, stallTimeout, backoffInitial, backoffMax, backoffResetAfter, maxInFlightPerCamera,
                decoderThreads, producer, clientId, topics, motion);
    }

    public IngestConfig withTimeouts(Duration socket, Duration stall, Duration backoffFirst, Duration backoffCap) {
        return new IngestConfig(camerasFile, inlineCameras, reloadInterval, defaultFps, defaultTransport, jpegQuality,
                socket, stall, backoffFirst, backoffCap, backoffResetAfter, maxInFlightPerCamera, decoderThreads,
                producer, clientId, topics, motion);
    }

    public IngestConfig withReloadInterval(Duration interval) {
        return new IngestConfig(camerasFile, inlineCameras, interval, defaultFps, defaultTransport, jpegQuality,
                socketTimeout, stallTimeout, backoffInitial, backoffMax, backoffResetAfter, maxInFlightPerCamera,
                decoderThreads, producer, clientId, topics, motion);
    }

    public IngestConfig withProducer(ProducerSettings p, int maxInFlight) {
        return new IngestConfig(camerasFile, inlineCameras, reloadInterval, defaultFps, defaultTransport, jpegQuality,
                socketTimeout, stallTimeout, backoffInitial, backoffMax, backoffResetAfter, maxInFlight, decoderThreads,
                p, clientId, topics, motion);
    }
}
