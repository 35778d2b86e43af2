package vap.ingest.camera;

import vap.core.config.ConfigException;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The camera registry's file format: a properties file with one block of keys per camera id (README
 * "Registering cameras"):
 * <pre>
 * lobby.url = rtsp://10.0.0.5:554/stream1
 * lobby.fps = 5
 * lobby.transport = udp
 * lobby.username = viewer
 * lobby.password.env = LOBBY_PASSWORD
 * demo.url = /data/sample.mp4
 * demo.loop = true
 * </pre>
 * A camera with a mistake (an unknown key, a bad number, a missing url) is reported on its own, as a
 * {@link Parsed#invalid()} entry with a message; it never stops the other cameras from being read.
 */
public final class CameraFile {
    /** What a camera takes when its block does not say. */
    public record Defaults(double fps, Transport transport, boolean loop) {
        public static Defaults standard() {
            return new Defaults(5.0, Transport.TCP, false);
        }
    }

    /** The cameras of one file: the valid ones, and a message per id that could not be read. */
    public record Parsed(List<CameraSource> cameras, Map<String, String> invalid) {
        public Parsed {
            cameras = List.copyOf(cameras);
            invalid = Collections.unmodifiableMap(new LinkedHashMap<>(invalid));
        }

        public static Parsed empty() {
            return new Parsed(List.of(), Map.of());
        }

        public Set<String> ids() {
            Set<String> ids = new LinkedHashSet<>();
            cameras.forEach(c -> ids.add(c.id()));
            ids.addAll(invalid.keySet());
            return ids;
        }
    }

    private static final Set<String> KEYS = Set.of("url", "fps", "transport", "username", "password", "password.env",
            "loop", "realtime", "format", "quality", "max.width", "enabled");

    private CameraFile() {
    }

    /** Reads {@code file}; a file that cannot be read at all is a {@link ConfigException}. */
    public static Parsed read(Path file, Defaults defaults) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("camera file " + file.toAbsolutePath() + " does not exist (ingest.cameras.file)");
        }
        try (Reader r = Files.newBufferedReader(file)) {
            return parse(load(r), defaults, System::getenv);
        } catch (IOException e) {
            throw new ConfigException("cannot read camera file " + file.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    /** Parses camera properties text (the file's content). */
    public static Parsed parse(String text, Defaults defaults, Function<String, String> env) {
        try {
            return parse(load(new StringReader(text)), defaults, env);
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
    }

    /**
     * Parses flat {@code id.key = value} entries (a file, or the {@code ingest.camera.} keys of the service
     * configuration with the prefix removed). {@code env} resolves {@code password.env} names.
     */
    public static Parsed parse(Map<String, String> entries, Defaults defaults, Function<String, String> env) {
        Map<String, Map<String, String>> byCamera = new TreeMap<>();
        Map<String, String> invalid = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            int dot = key.indexOf('.');
            if (dot <= 0 || dot == key.length() - 1) {
                invalid.put(key, "'" + key + "' is not of the form <camera id>.<key>, e.g. lobby.url");
                return;
            }
            byCamera.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>())
                    .put(key.substring(dot + 1), value.trim());
        });
        List<CameraSource> cameras = new java.util.ArrayList<>();
        byCamera.forEach((id, keys) -> {
            try {
                CameraSource c = camera(id, keys, defaults, env);
                if (c != null) {
                    cameras.add(c);
                }
            } catch (ConfigException e) {
                invalid.put(id, e.getMessage());
            }
        });
        return new Parsed(cameras, invalid);
    }

    private static CameraSource camera(String id, Map<String, String> keys, Defaults defaults,
                                       Function<String, String> env) {
        if (!CameraSource.ID.matcher(id).matches()) {
            throw new ConfigException("camera id '" + id + "' may only contain letters, digits, '-' and '_'");
        }
        Map<String, String> options = new TreeMap<>();
        for (String k : keys.keySet()) {
            if (k.startsWith("option.") && k.length() > "option.".length()) {
                options.put(k.substring("option.".length()), keys.get(k));
            } else if (!KEYS.contains(k)) {
                throw new ConfigException("camera " + id + ": unknown key '" + k + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(KEYS)) + ", option.<ffmpeg option>)");
            }
        }
        if (!bool(id, keys, "enabled", true)) {
            return null;
        }
        String url = keys.get("url");
        if (url == null || url.isBlank()) {
            throw new ConfigException("camera " + id + ": " + id + ".url is missing");
        }
        SourceKind kind = SourceKind.of(url);
        if (kind == null) {
            throw new ConfigException("camera " + id + ": " + Redactor.maskUrl(url) + " has a scheme ingest cannot "
                    + "read (use rtsp://, rtsps://, http(s)://, rtmp://, srt://, udp://, a file path or /dev/videoN)");
        }
        double fps = number(id, keys, "fps", defaults.fps());
        if (!(fps > 0) || fps > 120) {
            throw new ConfigException("camera " + id + ": fps = " + keys.get("fps") + " must be above 0 and at most 120");
        }
        Transport transport = keys.containsKey("transport")
                ? Transport.parse("camera " + id + ": transport", keys.get("transport")) : defaults.transport();
        String user = blankToNull(keys.get("username"));
        String pass = keys.get("password");
        String passEnv = keys.get("password.env");
        if (pass != null && passEnv != null) {
            throw new ConfigException("camera " + id + ": give either password or password.env, not both");
        }
        if (passEnv != null) {
            pass = env.apply(passEnv);
            if (pass == null) {
                throw new ConfigException("camera " + id + ": environment variable " + passEnv
                        + " (password.env) is not set");
            }
        }
        if (pass != null && user == null) {
            throw new ConfigException("camera " + id + ": a password needs a username");
        }
        CameraSource c = new CameraSource(id, url, fps, transport, user, pass,
                bool(id, keys, "loop", defaults.loop()), bool(id, keys, "realtime", true),
                blankToNull(keys.get("format")), (int) number(id, keys, "quality", 0), (int) number(id, keys, "max.width", 0),
                options);
        if (user != null && c.urlHasUserInfo()) {
            throw new ConfigException("camera " + id + ": credentials are given twice (in the url and as username)");
        }
        if (c.jpegQuality() < 0 || c.jpegQuality() > 100) {
            throw new ConfigException("camera " + id + ": quality must be 1..100");
        }
        if (c.maxWidth() < 0 || (c.maxWidth() > 0 && c.maxWidth() < 16)) {
            throw new ConfigException("camera " + id + ": max.width must be 0 (no limit) or at least 16");
        }
        return c;
    }

    private static Map<String, String> load(Reader r) throws IOException {
        Properties p = new Properties();
        p.load(r);
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k.trim(), p.getProperty(k)));
        return m;
    }

    private static double number(String id, Map<String, String> keys, String key, double dflt) {
        String v = keys.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("camera " + id + ": " + key + " = '" + v + "' is not a number");
        }
    }

    private static boolean bool(String id, Map<String, String> keys, String key, boolean dflt) {
        String v = keys.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException("camera " + id + ": " + key + " = '" + v + "' is not true or false");
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
