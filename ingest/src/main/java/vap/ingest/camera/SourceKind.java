package vap.ingest.camera;

import java.util.Locale;

/** What a camera URL points at; decides the FFmpeg options and what "end of stream" means. */
public enum SourceKind {
    /** {@code rtsp://} or {@code rtsps://}: an IP camera. */
    RTSP,
    /** {@code http(s)://}: MJPEG (multipart) or HLS, as far as FFmpeg supports them. */
    HTTP,
    /** Other network protocols FFmpeg reads (rtmp, srt, udp, tcp). */
    STREAM,
    /** A local video file (a path or a {@code file:} URL): demos and load tests. */
    FILE,
    /** A local capture device through video4linux2 ({@code /dev/video0} or {@code v4l2:///dev/video0}). */
    DEVICE;

    /** The kind of {@code url}, or null if its scheme is not one ingest can read. */
    public static SourceKind of(String url) {
        String u = url.trim().toLowerCase(Locale.ROOT);
        if (u.startsWith("rtsp://") || u.startsWith("rtsps://")) {
            return RTSP;
        }
        if (u.startsWith("http://") || u.startsWith("https://")) {
            return HTTP;
        }
        if (u.startsWith("rtmp://") || u.startsWith("rtmps://") || u.startsWith("srt://") || u.startsWith("udp://")
                || u.startsWith("tcp://")) {
            return STREAM;
        }
        if (u.startsWith("v4l2://") || u.startsWith("/dev/video")) {
            return DEVICE;
        }
        if (u.startsWith("file:") || !u.contains("://")) {
            return FILE;
        }
        return null;
    }

    /** Sources that play continuously; their end means the connection was lost. */
    public boolean isLive() {
        return this != FILE;
    }
}
