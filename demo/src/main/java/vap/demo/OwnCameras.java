package vap.demo;

import io.micrometer.core.instrument.MeterRegistry;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.ingest.IngestConfig;
import vap.ingest.IngestService;
import vap.ingest.camera.CameraSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The user's own material in {@code vap run}: video files (played once, paced like a camera) and camera URLs
 * (rtsp://, http(s), v4l2 ...), ingested exactly as {@code vap ingest} would.
 */
public final class OwnCameras {
    private OwnCameras() {
    }

    /** {@code sources}: camera id to a URL or a video file; every camera at {@code fps}. */
    public static IngestService start(Map<String, String> sources, double fps, Settings settings, KafkaSettings kafka,
                                      MeterRegistry metrics) {
        List<CameraSource> cameras = new ArrayList<>();
        sources.forEach((id, where) -> {
            Path file = Path.of(where);
            String url = Files.isRegularFile(file) ? file.toAbsolutePath().toString() : where;
            if (!url.contains("://") && !Files.isRegularFile(file) && !url.startsWith("/dev/")) {
                throw new IllegalArgumentException("--source " + id + "=" + where + ": no such file, and not a URL");
            }
            cameras.add(CameraSource.of(id, url).withFps(fps));
        });
        return new IngestService(IngestConfig.from(settings), kafka, metrics, cameras).start();
    }
}
