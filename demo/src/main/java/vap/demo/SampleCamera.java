package vap.demo;

import io.micrometer.core.instrument.MeterRegistry;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.ingest.IngestConfig;
import vap.ingest.IngestService;
import vap.ingest.camera.CameraSource;
import vap.playout.LocalRtspServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Simulated IP cameras for the main job, the pipeline benchmark and the end-to-end test: one video served over a real RTSP server
 * (GStreamer, looping, real time) at one mount per camera, and the ingest service reading those URLs exactly
 * as it would read real cameras.
 */
public final class SampleCamera implements AutoCloseable {
    private final LocalRtspServer rtsp;
    private final IngestService ingest;

    private SampleCamera(LocalRtspServer rtsp, IngestService ingest) {
        this.rtsp = rtsp;
        this.ingest = ingest;
    }

    public static SampleCamera start(Path video, int cameras, double fps, Settings settings, KafkaSettings kafka,
                              MeterRegistry metrics) {
        LocalRtspServer.Builder b = LocalRtspServer.builder();
        for (int i = 1; i <= cameras; i++) {
            b.mount("/camera-" + i, video);
        }
        LocalRtspServer rtsp = b.start();
        try {
            List<CameraSource> sources = new ArrayList<>();
            for (int i = 1; i <= cameras; i++) {
                sources.add(CameraSource.of("camera-" + i, rtsp.url("/camera-" + i)).withFps(fps));
            }
            IngestService ingest = new IngestService(IngestConfig.from(settings), kafka, metrics, sources).start();
            return new SampleCamera(rtsp, ingest);
        } catch (RuntimeException e) {
            rtsp.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            ingest.close();
        } finally {
            rtsp.close();
        }
    }
}
