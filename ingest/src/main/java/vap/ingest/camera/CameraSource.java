package vap.ingest.camera;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One registered camera: where its video comes from and how ingest samples it. Built from the camera file
 * ({@link CameraFile}) or in code with {@link #of(String, String)} and the {@code with...} methods.
 *
 * <p>Credentials may be given in the URL's user-info or as {@code username}/{@code password}; either way
 * {@link #toString()}, {@link #displayUrl()} and {@link #redactor()} keep them out of everything ingest writes.
 *
 * @param id          camera id: the Kafka key of its frames; letters, digits, {@code -} and {@code _}
 * @param url         rtsp://, http(s)://, a file path or file: URL, /dev/videoN or v4l2:// (may hold user-info)
 * @param fps         most frames per second published (the source may deliver more; they are decoded, not sent)
 * @param transport   RTSP transport (ignored for other sources)
 * @param loop        files only: start again at the end instead of finishing
 * @param realtime    files only: pace decoding to the file's frame rate, like a camera (false: as fast as possible)
 * @param format      FFmpeg input format to force (e.g. {@code v4l2}, {@code mjpeg}), or null to probe
 * @param jpegQuality 1..100, or 0 for the service default
 * @param maxWidth    downscale wider pictures to this width, keeping the aspect ratio (0: never)
 * @param options     extra FFmpeg input options (e.g. {@code video_size=1280x720} for a v4l2 device)
 */
public record CameraSource(String id, String url, double fps, Transport transport, String username, String password,
                           boolean loop, boolean realtime, String format, int jpegQuality, int maxWidth,
                           Map<String, String> options) {
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    public CameraSource {
        options = Map.copyOf(options);
    }

    /** A camera with the defaults: 5 fps, RTSP over TCP, files not looped but paced in real time. */
    public static CameraSource of(String id, String url) {
        return new CameraSource(id, url, 5.0, Transport.TCP, null, null, false, true, null, 0, 0, Map.of());
    }

    public CameraSource withFps(double newFps) {
        return new CameraSource(id, url, newFps, transport, username, password, loop, realtime, format, jpegQuality,
                maxWidth, options);
    }

    public CameraSource withTransport(Transport t) {
        return new CameraSource(id, url, fps, t, username, password, loop, realtime, format, jpegQuality, maxWidth,
                options);
    }

    public CameraSource withCredentials(String user, String pass) {
        return new CameraSource(id, url, fps, transport, user, pass, loop, realtime, format, jpegQuality, maxWidth,
                options);
    }

    public CameraSource withLoop(boolean l) {
        return new CameraSource(id, url, fps, transport, username, password, l, realtime, format, jpegQuality, maxWidth,
                options);
    }

    public CameraSource withRealtime(boolean r) {
        return new CameraSource(id, url, fps, transport, username, password, loop, r, format, jpegQuality, maxWidth,
                options);
    }

    public CameraSource withJpegQuality(int q) {
        return new CameraSource(id, url, fps, transport, username, password, loop, realtime, format, q, maxWidth,
                options);
    }

    public CameraSource withMaxWidth(int w) {
        return new CameraSource(id, url, fps, transport, username, password, loop, realtime, format, jpegQuality, w,
                options);
    }

    public CameraSource withOptions(String fmt, Map<String, String> opts) {
        return new CameraSource(id, url, fps, transport, username, password, loop, realtime, fmt, jpegQuality,
                maxWidth, opts);
    }

    public SourceKind kind() {
        return SourceKind.of(url);
    }

    /** The URL with credentials masked: safe for logs, metrics and status. */
    public String displayUrl() {
        return Redactor.maskUrl(url);
    }

    /** Masks this camera's secrets wherever they might appear in a message. */
    public Redactor redactor() {
        java.util.List<String> secrets = new java.util.ArrayList<>();
        if (password != null) {
            secrets.add(password);
        }
        String inUrl = userInfoPassword();
        if (inUrl != null) {
            secrets.add(inUrl);
            secrets.add(java.net.URLDecoder.decode(inUrl.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return Redactor.forSecrets(username != null ? username : userInfoUser(), secrets);
    }

    /** What FFmpeg opens: the URL with separately given credentials put into its user-info, or the file path. */
    public String ffmpegInput() {
        SourceKind k = kind();
        if (k == SourceKind.FILE) {
            return filePath();
        }
        if (k == SourceKind.DEVICE) {
            return url.startsWith("v4l2://") ? url.substring("v4l2://".length()) : url;
        }
        if (username == null || username.isEmpty()) {
            return url;
        }
        int start = url.indexOf("://") + 3;
        String info = enc(username) + (password == null ? "" : ":" + enc(password));
        return url.substring(0, start) + info + "@" + url.substring(start);
    }

    /** For file sources: the local path. */
    public String filePath() {
        if (url.startsWith("file://")) {
            return url.substring("file://".length());
        }
        if (url.startsWith("file:")) {
            return url.substring("file:".length());
        }
        return url;
    }

    /** Whether the URL itself carries user-info (user:password@). */
    public boolean urlHasUserInfo() {
        int start = url.indexOf("://");
        return start >= 0 && url.lastIndexOf('@') > start;
    }

    /** The password as written in the URL's user-info (still percent-encoded), or null. */
    private String userInfoPassword() {
        if (!urlHasUserInfo()) {
            return null;
        }
        String info = url.substring(url.indexOf("://") + 3, url.lastIndexOf('@'));
        int colon = info.indexOf(':');
        return colon < 0 ? null : info.substring(colon + 1);
    }

    private String userInfoUser() {
        if (!urlHasUserInfo()) {
            return null;
        }
        String info = url.substring(url.indexOf("://") + 3, url.lastIndexOf('@'));
        int colon = info.indexOf(':');
        return colon < 0 ? info : info.substring(0, colon);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "camera " + id + " (" + displayUrl() + ", " + fps + " fps"
                + (kind() == SourceKind.RTSP ? ", " + transport.ffmpegName() : "")
                + (username != null ? ", user " + Redactor.MASK : "") + ")";
    }
}
