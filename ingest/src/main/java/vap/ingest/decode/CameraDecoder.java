package vap.ingest.decode;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import vap.ingest.camera.CameraSource;
import vap.ingest.camera.Redactor;
import vap.ingest.camera.SourceKind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_FORBIDDEN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_UNAUTHORIZED;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_STREAM_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/**
 * One camera's decoder: JavaCV's {@link FFmpegFrameGrabber} with the options a live source needs, in RAW image
 * mode so that frames the sampler skips cost no colour conversion. Not thread-safe: one camera thread owns it.
 *
 * <p>The two ways a source fails both end here as a {@link SourceException}: an exception at open
 * ({@link #open()}), and, once streaming, FFmpeg giving up silently ({@link #grab()} returns null: the
 * connection dropped or the socket timeout expired) which the caller turns into a reconnect.
 */
public final class CameraDecoder implements AutoCloseable {
    private static final Pattern ERROR_CODE = Pattern.compile("error (-?\\d+)");
    /**
     * An HTTP/RTSP status as FFmpeg words it ("401 Unauthorized", "Server returned 404 Not Found"), never digits inside a
     * port or an address: "tcp://127.0.0.1:40423" once classified a refused connection as "no stream at this path".
     */
    private static final Pattern STATUS = Pattern.compile("(?<![\\d.:])(40[134])(?![\\d.:])");
    private static final int ECONNREFUSED = -111;
    private static final int ETIMEDOUT = -110;
    private static final int EHOSTUNREACH = -113;
    private static final int ENETUNREACH = -101;
    private static final int ENOENT = -2;
    private static final int EACCES = -13;

    /** Decoder settings that are the service's, not the camera's. */
    public record Settings(Duration socketTimeout, int decoderThreads) {
    }

    private final CameraSource source;
    private final Settings settings;
    private final Redactor redactor;
    private FFmpegFrameGrabber grabber;
    private long lastGrabNanos;

    public CameraDecoder(CameraSource source, Settings settings) {
        this.source = source;
        this.settings = settings;
        this.redactor = source.redactor();
        FfmpegLog.install();
    }

    /** The FFmpeg input options for this camera (also shown by tests and the benchmark). */
    public Map<String, String> inputOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        String timeoutUs = Long.toString(settings.socketTimeout().toNanos() / 1000);
        switch (source.kind()) {
            case RTSP -> {
                o.put("rtsp_transport", source.transport().ffmpegName());
                // Socket I/O timeout (connect, handshake, and every read, UDP included): a silent camera is
                // noticed instead of blocking this thread for ever.
                o.put("timeout", timeoutUs);
                // Audio would cost bandwidth and a decoder for nothing.
                o.put("allowed_media_types", "video");
            }
            case HTTP, STREAM -> {
                o.put("rw_timeout", timeoutUs);
                o.put("timeout", timeoutUs);
            }
            case FILE, DEVICE -> {
            }
        }
        o.putAll(source.options());
        return o;
    }

    /** Opens the source and reads its stream parameters; on failure everything opened is released. */
    public void open() throws SourceException {
        SourceKind kind = source.kind();
        if (kind == SourceKind.FILE && !Files.isRegularFile(Path.of(source.filePath()))) {
            throw new SourceException(SourceException.Kind.CONFIGURATION, "file " + source.filePath() + " does not exist");
        }
        if (kind == SourceKind.DEVICE && !Files.exists(Path.of(source.ffmpegInput()))) {
            throw new SourceException(SourceException.Kind.CONFIGURATION, "capture device " + source.ffmpegInput()
                    + " does not exist on this machine");
        }
        FfmpegLog.bind(redactor);
        FfmpegLog.clear();
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(source.ffmpegInput());
        String format = source.format() != null ? source.format() : kind == SourceKind.DEVICE ? "v4l2" : null;
        if (format != null) {
            g.setFormat(format);
        }
        g.setOptions(inputOptions());
        // Many cameras on few cores: one decoding thread each scales best; more for a few large streams.
        g.setVideoOption("threads", Integer.toString(settings.decoderThreads()));
        g.setImageMode(FrameGrabber.ImageMode.RAW);
        long t0 = System.nanoTime();
        try {
            g.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            release(g);
            SourceException se = classify(e, "cannot open");
            // FFmpeg reports a handshake that got no answer as "invalid data"; the time it took tells the truth.
            boolean waitedOut = System.nanoTime() - t0 >= settings.socketTimeout().toNanos() * 9 / 10;
            if (waitedOut && source.kind().isLive() && (se.kind() == SourceException.Kind.NOT_VIDEO
                    || se.kind() == SourceException.Kind.IO)) {
                throw new SourceException(SourceException.Kind.TIMEOUT, where() + " did not answer within "
                        + settings.socketTimeout().toSeconds() + " s (ingest.socket.timeout)");
            }
            throw se;
        }
        if (!g.hasVideo()) {
            release(g);
            throw new SourceException(SourceException.Kind.NOT_VIDEO, where() + " has no video stream");
        }
        grabber = g;
    }

    /**
     * The next decoded picture, or null when the source has nothing more: the end of a file, or for a live
     * source a lost connection or a socket timeout (FFmpeg reports those as an end, without an exception).
     */
    public DecodedFrame grab() throws SourceException {
        FfmpegLog.clear();
        long t0 = System.nanoTime();
        try {
            return grabNext();
        } finally {
            lastGrabNanos = System.nanoTime() - t0;
        }
    }

    private DecodedFrame grabNext() throws SourceException {
        Frame f;
        try {
            f = grabber.grabFrame(false, true, true, false, false);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw classify(e, "lost");
        }
        while (f != null && !(f.opaque instanceof AVFrame)) {
            try {
                f = grabber.grabFrame(false, true, true, false, false);
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw classify(e, "lost");
            }
        }
        if (f == null) {
            return null;
        }
        AVFrame pic = (AVFrame) f.opaque;
        return new DecodedFrame(pic, pic.width(), pic.height(), f.timestamp);
    }

    /** Why the last {@link #grab()} returned null, in FFmpeg's words if it said anything (redacted). */
    public String endReason() {
        String last = FfmpegLog.last();
        if (last != null) {
            return last;
        }
        if (!source.kind().isLive()) {
            return "end of file";
        }
        // FFmpeg says nothing either way; how long it waited tells a silent camera from a closed connection.
        return lastGrabNanos >= settings.socketTimeout().toNanos() * 9 / 10
                ? "no data for " + settings.socketTimeout().toSeconds() + " s (ingest.socket.timeout): the camera went silent"
                : "the connection was closed by the camera or the network";
    }

    /** Files: back to the first frame (loop). */
    public void rewind() throws SourceException {
        try {
            grabber.setTimestamp(0);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw classify(e, "cannot rewind");
        }
    }

    /**
     * Whether the source delivers in bursts ahead of real time (HLS fetches whole segments), so that frames
     * must be paced by their timestamps, like a file's, to be sampled evenly.
     */
    public boolean deliversInBursts() {
        String f = grabber == null ? null : grabber.getFormat();
        return f != null && (f.contains("hls") || f.contains("applehttp") || f.contains("dash"));
    }

    public double frameRate() {
        return grabber == null ? 0 : grabber.getVideoFrameRate();
    }

    public String codecName() {
        return grabber == null ? null : grabber.getVideoCodecName();
    }

    @Override
    public void close() {
        if (grabber != null) {
            release(grabber);
            grabber = null;
        }
    }

    private static void release(FFmpegFrameGrabber g) {
        try {
            g.release();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            // Closing a broken connection may fail again; the native memory is freed either way.
        }
    }

    private String where() {
        return source.kind() == SourceKind.FILE ? "file " + source.filePath() : source.displayUrl();
    }

    /** Turns JavaCV's exception (whose message quotes the raw URL) into a redacted, typed one. */
    private SourceException classify(Exception e, String verb) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        Matcher m = ERROR_CODE.matcher(msg);
        Integer code = m.find() ? Integer.valueOf(m.group(1)) : null;
        String ffmpeg = FfmpegLog.last();
        String said = ffmpeg != null ? ffmpeg : code != null ? strerror(code) : redactor.redact(msg);
        String lower = said.toLowerCase(java.util.Locale.ROOT);
        SourceException.Kind kind;
        String what;
        if (code != null && (code == AVERROR_HTTP_UNAUTHORIZED || code == AVERROR_HTTP_FORBIDDEN)
                || "401".equals(status(lower)) || "403".equals(status(lower)) || lower.contains("unauthorized")) {
            kind = SourceException.Kind.UNAUTHORIZED;
            what = source.username() != null || source.urlHasUserInfo()
                    ? "refused the credentials" : "requires credentials (set username and password)";
        } else if (code != null && (code == AVERROR_HTTP_NOT_FOUND || code == AVERROR_STREAM_NOT_FOUND)
                || "404".equals(status(lower))) {
            kind = SourceException.Kind.NOT_FOUND;
            what = "has no stream at this path";
        } else if (lower.contains("resolve") || code != null && (code == EHOSTUNREACH || code == ENETUNREACH)) {
            kind = SourceException.Kind.HOST_UNREACHABLE;
            what = "host cannot be reached (name does not resolve or no route)";
        } else if (code != null && code == ECONNREFUSED || lower.contains("refused")) {
            kind = SourceException.Kind.REFUSED;
            what = "refused the connection (nothing listens on that port)";
        } else if (code != null && code == ETIMEDOUT || lower.contains("timed out") || lower.contains("timeout")) {
            kind = SourceException.Kind.TIMEOUT;
            what = "did not answer within " + settings.socketTimeout().toSeconds() + " s (ingest.socket.timeout)";
        } else if (code != null && (code == ENOENT || code == EACCES) && !source.kind().isLive()) {
            kind = SourceException.Kind.CONFIGURATION;
            what = "cannot be read";
        } else if (code != null && code == AVERROR_INVALIDDATA) {
            kind = SourceException.Kind.NOT_VIDEO;
            what = "sent data FFmpeg cannot read as video";
        } else {
            kind = SourceException.Kind.IO;
            what = verb.equals("lost") ? "connection lost" : "cannot be opened";
        }
        return new SourceException(kind, where() + " " + what + " (" + redactor.redact(said) + ")");
    }

    /** The 401/403/404 status FFmpeg's message names, or null; package-private for its test. */
    static String status(String message) {
        Matcher m = STATUS.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    private static String strerror(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (error " + code + ")";
    }
}
