package vap.ingest.decode;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.ingest.camera.Redactor;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.setLogCallback;

/**
 * FFmpeg's own messages ("method DESCRIBE failed: 404 Not Found", "Failed to resolve hostname ...") are the
 * best explanation of why a camera failed, but FFmpeg prints them to stderr, unredacted, possibly once per
 * frame. This routes them into the calling thread's memory instead: the camera's decoder attaches the last
 * one to its error message, and they reach the log at DEBUG only, redacted and at most one per second per
 * thread.
 */
public final class FfmpegLog {
    private static final Logger log = LoggerFactory.getLogger("vap.ingest.ffmpeg");
    /** FFmpeg prefixes messages with its context, "[rtsp @ 0x7f...] ": an address that means nothing to a user. */
    private static final java.util.regex.Pattern CONTEXT = java.util.regex.Pattern.compile("^\\[[^\\]]* @ 0x[0-9a-f]+\\] ");
    /** FFmpeg 8 prints "method DESCRIBE failed: 404Not Found"; put the space back. */
    private static final java.util.regex.Pattern STATUS = java.util.regex.Pattern.compile("failed: (\\d{3})(?=[A-Za-z])");
    private static final ThreadLocal<ThreadState> STATE = ThreadLocal.withInitial(ThreadState::new);
    private static LogCallback callback;

    private static final class ThreadState {
        Redactor redactor = Redactor.urlsOnly();
        String last;
        long lastLoggedNanos;
    }

    private FfmpegLog() {
    }

    /** Installs the callback once per JVM (FFmpeg has one global log callback). */
    public static synchronized void install() {
        if (callback != null) {
            return;
        }
        callback = new LogCallback() {
            @Override
            public void call(int level, BytePointer msg) {
                record(msg.getString().strip());
            }
        }.retainReference();
        // Errors only: warnings include per-packet RTP noise on lossy networks.
        av_log_set_level(AV_LOG_ERROR);
        setLogCallback(callback);
    }

    /** Messages on this thread are redacted with {@code redactor} from now on. */
    public static void bind(Redactor redactor) {
        STATE.get().redactor = redactor;
    }

    /** Forgets this thread's last message (before an operation whose failure is to be explained). */
    public static void clear() {
        STATE.get().last = null;
    }

    /** This thread's last FFmpeg error message, redacted, or null. */
    public static String last() {
        return STATE.get().last;
    }

    private static void record(String message) {
        if (message.isEmpty()) {
            return;
        }
        ThreadState s = STATE.get();
        String plain = STATUS.matcher(CONTEXT.matcher(message).replaceFirst("")).replaceFirst("failed: $1 ");
        s.last = s.redactor.redact(plain);
        long now = System.nanoTime();
        if (log.isDebugEnabled() && now - s.lastLoggedNanos > 1_000_000_000L) {
            s.lastLoggedNanos = now;
            log.debug("{}", s.last);
        }
    }
}
