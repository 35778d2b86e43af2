package vap.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.ingest.camera.CameraSource;
import vap.ingest.decode.CameraDecoder;
import vap.ingest.decode.DecodedFrame;
import vap.ingest.decode.FfmpegLog;
import vap.ingest.decode.FrameSampler;
import vap.ingest.decode.JpegEncoder;
import vap.ingest.decode.MotionMeter;
import vap.ingest.decode.SourceException;
import vap.ingest.health.Backoff;
import vap.ingest.health.CameraHealth;
import vap.ingest.health.CameraState;
import vap.ingest.publish.FramePublisher;
import vap.ingest.publish.FrameTooLargeException;
import vap.messages.Frame;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One camera's thread: connect, decode every frame, publish the sampled ones, and on any failure back off and
 * connect again, for as long as the camera is registered. All decoding state (FFmpeg contexts, the JPEG
 * buffers) belongs to this thread.
 */
final class CameraWorker {
    private static final Logger log = LoggerFactory.getLogger(CameraWorker.class);

    private final CameraSource source;
    private final IngestConfig config;
    private final FramePublisher publisher;
    private final CameraHealth health;
    private final Clock clock;
    private final Thread thread;
    private final int quality;
    private volatile boolean stopping;
    private long lastTooLargeLogNanos;

    CameraWorker(CameraSource source, IngestConfig config, FramePublisher publisher, CameraHealth health, Clock clock) {
        this.source = source;
        this.config = config;
        this.publisher = publisher;
        this.health = health;
        this.clock = clock;
        this.quality = source.jpegQuality() > 0 ? source.jpegQuality() : config.jpegQuality();
        this.thread = new Thread(this::run, "camera-" + source.id());
        thread.setDaemon(true);
    }

    CameraSource source() {
        return source;
    }

    CameraHealth health() {
        return health;
    }

    void start() {
        thread.start();
    }

    /** Asks the thread to stop; a grab in progress returns within a frame or the socket timeout. */
    void requestStop() {
        stopping = true;
        thread.interrupt();
    }

    /** Waits for the thread to end after {@link #requestStop()}. */
    boolean awaitStop(Duration timeout) {
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void run() {
        FfmpegLog.bind(source.redactor());
        // Unique across ingest runs (schemas/FrameRef.avsc): session start in ms x 1000 + frames sent since.
        long sequenceBase = clock.millis() * 1000;
        long[] sent = {0};
        Backoff backoff = new Backoff(config.backoffInitial(), config.backoffMax(), 0.5, ThreadLocalRandom.current());
        CameraDecoder.Settings decoderSettings = new CameraDecoder.Settings(config.socketTimeout(), config.decoderThreads());
        try (JpegEncoder encoder = new JpegEncoder(quality, source.maxWidth());
             MotionMeter motion = new MotionMeter(config.motion().cellThreshold())) {
            while (!stopping) {
                health.moveTo(CameraState.CONNECTING, "opening " + source.displayUrl());
                try (CameraDecoder decoder = new CameraDecoder(source, decoderSettings)) {
                    decoder.open();
                    motion.reset(); // a new connection may show another picture: its first frame counts as all new
                    if (stream(decoder, encoder, motion, backoff, sequenceBase, sent)) {
                        return; // finished (file end) or stopped
                    }
                } catch (SourceException e) {
                    if (stopping) {
                        break;
                    }
                    if (!e.kind().retryable()) {
                        health.moveTo(CameraState.FAILED_CONFIGURATION, e.getMessage()
                                + "; not retried until the camera's configuration changes");
                        return;
                    }
                    Duration wait = backoff.next();
                    health.moveTo(CameraState.BACKING_OFF, e.getMessage() + "; retrying in " + human(wait));
                    if (!sleep(wait.toNanos())) {
                        break;
                    }
                    health.reconnecting();
                }
            }
        } catch (RuntimeException e) {
            // A bug, not a camera problem: say so loudly, with a redacted message, and leave the camera failed.
            log.error("camera {}: decoder thread failed: {}", source.id(), source.redactor().redact(e.toString()));
            health.moveTo(CameraState.STOPPED, "internal error: " + source.redactor().redact(e.toString()));
        } finally {
            if (health.state() != CameraState.FAILED_CONFIGURATION && health.state() != CameraState.FINISHED) {
                health.moveTo(CameraState.STOPPED, "stopped");
            }
        }
    }

    /**
     * Streams from an open decoder until it fails (exception), ends (file: true) or the worker stops (true).
     * A live source that stops delivering frames (null from FFmpeg) becomes STALLED and then an exception.
     */
    private boolean stream(CameraDecoder decoder, JpegEncoder encoder, MotionMeter motion, Backoff backoff,
                           long sequenceBase, long[] sent)
            throws SourceException {
        boolean live = source.kind().isLive();
        // Files (unless told otherwise) and segment-based streams are paced by their timestamps; cameras pace
        // themselves, and their own clocks are not always to be trusted, so they are sampled on arrival.
        boolean paced = live ? decoder.deliversInBursts() : source.realtime();
        FrameSampler sampler = new FrameSampler(source.fps());
        long streamingSince = 0;
        boolean backoffReset = false;
        long anchorWall = Long.MIN_VALUE;
        long anchorMedia = 0;
        long framesSinceRewind = 0;
        while (!stopping) {
            DecodedFrame f = decoder.grab();
            if (f == null) {
                if (stopping) {
                    return true;
                }
                if (!live) {
                    if (!source.loop()) {
                        health.moveTo(CameraState.FINISHED, "end of file " + source.filePath() + " (loop is off)");
                        return true;
                    }
                    if (framesSinceRewind == 0) {
                        throw new SourceException(SourceException.Kind.CONFIGURATION, "file " + source.filePath()
                                + " has no frame that can be decoded");
                    }
                    framesSinceRewind = 0;
                    decoder.rewind();
                    sampler.reset();
                    motion.reset();
                    anchorWall = Long.MIN_VALUE;
                    continue;
                }
                String why = "the stream stopped delivering frames: " + decoder.endReason();
                if (health.state() == CameraState.STREAMING) {
                    health.moveTo(CameraState.STALLED, why);
                }
                throw new SourceException(SourceException.Kind.IO, source.displayUrl() + ": " + why);
            }
            if (streamingSince == 0) {
                streamingSince = System.nanoTime();
                health.moveTo(CameraState.STREAMING, f.width() + "x" + f.height() + " " + decoder.codecName() + " at "
                        + String.format("%.1f", decoder.frameRate()) + " fps, publishing up to " + source.fps() + " fps");
            } else if (health.state() == CameraState.STALLED) {
                health.moveTo(CameraState.STREAMING, "frames are arriving again");
            }
            if (!backoffReset && System.nanoTime() - streamingSince > config.backoffResetAfter().toNanos()) {
                backoff.reset(); // this connection proved healthy
                backoffReset = true;
            }
            health.frameDecoded(f.width(), f.height());
            framesSinceRewind++;
            long timeUs;
            if (paced) {
                if (anchorWall == Long.MIN_VALUE) {
                    anchorWall = System.nanoTime();
                    anchorMedia = f.timestampUs();
                }
                long due = anchorWall + (f.timestampUs() - anchorMedia) * 1000;
                long wait = due - System.nanoTime();
                if (wait > 0 && !sleep(wait)) {
                    return true;
                }
                if (wait < -1_000_000_000L) {
                    anchorWall = Long.MIN_VALUE; // decoding fell behind real time: start pacing afresh
                }
                timeUs = System.nanoTime() / 1000;
            } else {
                timeUs = live ? System.nanoTime() / 1000 : f.timestampUs();
            }
            if (!sampler.accept(timeUs)) {
                continue;
            }
            if (!publisher.hasCapacity(source.id())) {
                health.dropped(CameraHealth.DropReason.BACKPRESSURE);
                continue;
            }
            Instant captured = clock.instant();
            byte[] jpeg = encoder.encode(f);
            // Against the previous published frame, so the detector can skip a static scene (README "Motion").
            Float changed = config.motion().enabled() ? motion.measure(encoder.picture()) : null;
            Frame frame = Frame.newBuilder()
                    .setCameraId(source.id())
                    .setSequence(sequenceBase + sent[0])
                    .setCaptureTimestamp(captured)
                    .setWidth(encoder.width())
                    .setHeight(encoder.height())
                    .setJpeg(ByteBuffer.wrap(jpeg))
                    .setMotion(changed)
                    .build();
            try {
                publisher.publish(health, frame, quality);
                sent[0]++;
            } catch (FrameTooLargeException e) {
                long now = System.nanoTime();
                if (now - lastTooLargeLogNanos > TimeUnit.SECONDS.toNanos(60)) {
                    lastTooLargeLogNanos = now;
                    log.error(e.getMessage());
                }
            }
        }
        return true;
    }

    /** Sleeps unless stopped; false if the worker is stopping. */
    private boolean sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return !stopping;
        } catch (InterruptedException e) {
            return false;
        }
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? String.format("%.1f s", ms / 1000.0) : (ms / 1000) + " s";
    }
}
