package vap.core.kafka;

import java.util.regex.Pattern;

/** Removes passwords from URLs before they reach a log line, a metric, an error or a topic. */
public final class UrlMasking {
    // Greedy up to the last @ before the path: a password may itself contain @.
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/\\s]*@");

    // pgjdbc and most drivers also take the password as a parameter: ?password=..., &password=..., ;password=...
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;]password=)[^&;\\s]*");

    private UrlMasking() {
    }

    /** {@code rtsp://admin:secret@10.0.0.5/live} becomes {@code rtsp://***@10.0.0.5/live}. */
    public static String mask(String url) {
        return url == null ? null : USER_INFO.matcher(url).replaceAll("***@");
    }

    /** A JDBC URL (or a message quoting one) without its password: user info and {@code password=} parameters. */
    public static String maskJdbc(String url) {
        return url == null ? null : PASSWORD_PARAM.matcher(mask(url)).replaceAll("$1***");
    }
}
