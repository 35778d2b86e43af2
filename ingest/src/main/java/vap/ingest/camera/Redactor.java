package vap.ingest.camera;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps camera credentials out of everything ingest writes: log lines, metrics, status, exception messages,
 * records. Masks the user-info of every URL in a text (also when the password itself contains {@code @}, which
 * FFmpeg accepts), secret-looking query parameters ({@code ?password=}, {@code &token=}), and, for a camera
 * whose secrets are known, any literal occurrence of them (FFmpeg's own messages may quote them in other forms).
 */
public final class Redactor {
    public static final String MASK = "***";
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>]*");
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|pass|token|access_token|key|apikey|api_key|secret|auth|sig|signature)=)"
                    + "[^&;#\\s\"']*");
    private static final Redactor URLS_ONLY = new Redactor(List.of());

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** Masks URLs only; for text that belongs to no particular camera. */
    public static Redactor urlsOnly() {
        return URLS_ONLY;
    }

    /** Masks URLs and these literal secrets (a camera's password, as given and in the encodings FFmpeg uses). */
    public static Redactor forSecrets(String username, List<String> passwords) {
        List<String> s = new ArrayList<>();
        for (String password : passwords) {
            // Shorter strings would mask innocent text; URL masking still covers them.
            if (password == null || password.length() < 3) {
                continue;
            }
            s.add(password);
            s.add(URLEncoder.encode(password, StandardCharsets.UTF_8));
            s.add(URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20"));
            if (username != null) {
                // HTTP Basic authentication header value, in case a protocol trace quotes it.
                s.add(Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
            }
        }
        // Longest first, so that a secret containing another is replaced whole.
        s.sort((a, b) -> b.length() - a.length());
        return new Redactor(List.copyOf(s.stream().distinct().toList()));
    }

    /** {@code rtsp://admin:p@ss@10.0.0.5/live?token=x} becomes {@code rtsp://***@10.0.0.5/live?token=***}. */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return SECRET_QUERY.matcher(url).replaceAll("$1" + MASK);
        }
        int start = scheme + 3;
        int at = url.lastIndexOf('@');
        String masked = at >= start ? url.substring(0, start) + MASK + url.substring(at) : url;
        return SECRET_QUERY.matcher(masked).replaceAll("$1" + MASK);
    }

    /** {@code text} with every URL masked and every known secret replaced by {@value #MASK}. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = URL.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(maskUrl(m.group())));
        }
        m.appendTail(out);
        String r = out.toString();
        for (String s : secrets) {
            r = r.replace(s, MASK);
        }
        return r;
    }
}
