package vap.core.kafka;

import java.util.regex.Pattern;

/** Removes passwords from URLs before they reach a log line, a metric, an error or a topic. */
public final class UrlMasking {
    // Greedy up to the last @ before the path: a password may itself contain @.
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/\\s]*@");

    private UrlMasking() {
    }

    /** {@code rtsp://admin:secret@10.0.0.5/live} becomes {@code rtsp://***@10.0.0.5/live}. */
    public static String mask(String url) {
        return url == null ? null : USER_INFO.matcher(url).replaceAll("***@");
    }
}
