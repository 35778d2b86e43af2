package vap.core.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Flat key/value configuration: a properties file, overridden by environment variables, overridden by
 * explicit values (command-line options). Key {@code detector.batch.size} is read from the environment as
 * {@code VAP_DETECTOR_BATCH_SIZE}. Each service turns this into one typed config object at start-up; the
 * README's configuration table lists every key and default.
 */
public final class Settings {
    private static final Logger log = LoggerFactory.getLogger(Settings.class);
    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Settings empty() {
        return new Settings(Map.of());
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(new LinkedHashMap<>(values));
    }

    /** Loads {@code file} (may be null), then applies VAP_* environment variables. */
    public static Settings load(Path file) {
        return load(file, System.getenv());
    }

    static Settings load(Path file, Map<String, String> env) {
        Map<String, String> v = new LinkedHashMap<>();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("configuration file " + file.toAbsolutePath() + " does not exist");
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("reading configuration " + file, e);
            }
            p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k).trim()));
        }
        env.forEach((k, val) -> {
            if (k.startsWith("VAP_")) {
                v.put(k.substring(4).toLowerCase().replace('_', '.'), val);
            }
        });
        return new Settings(v);
    }

    /** A copy with {@code overrides} applied on top. */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.putAll(overrides);
        return new Settings(v);
    }

    public Settings with(String key, String value) {
        return with(Map.of(key, value));
    }

    /**
     * A copy that reads a renamed key's old name too: where only {@code oldKey} is set its value moves to
     * {@code newKey}, with a warning (old names are accepted for one release).
     */
    public Settings renamed(String oldKey, String newKey) {
        if (!values.containsKey(oldKey) || values.containsKey(newKey)) {
            return this;
        }
        log.warn("configuration key {} (or {}) is deprecated; use {} (or {})", oldKey, envName(oldKey), newKey,
                envName(newKey));
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(newKey, v.remove(oldKey));
        return new Settings(v);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String string(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    public String required(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException(key + " is required (set it in the configuration file or as "
                    + envName(key) + ")");
        }
        return v;
    }

    public int integer(String key, int defaultValue) {
        return parse(key, defaultValue, Integer::parseInt, "an integer");
    }

    public long longValue(String key, long defaultValue) {
        return parse(key, defaultValue, Long::parseLong, "an integer");
    }

    public double number(String key, double defaultValue) {
        return parse(key, defaultValue, Double::parseDouble, "a number");
    }

    public boolean bool(String key, boolean defaultValue) {
        return parse(key, defaultValue, s -> switch (s.toLowerCase()) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException(s);
        }, "true or false");
    }

    /** Durations as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT30S}). */
    public Duration duration(String key, Duration defaultValue) {
        return parse(key, defaultValue, Settings::parseDuration, "a duration such as 500ms, 30s, 5m");
    }

    /** Every key under {@code prefix.}, with the prefix removed (e.g. Kafka client pass-through properties). */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        String p = prefix.endsWith(".") ? prefix : prefix + ".";
        values.forEach((k, v) -> {
            if (k.startsWith(p)) {
                out.put(k.substring(p.length()), v);
            }
        });
        return out;
    }

    public Map<String, String> asMap() {
        return values;
    }

    public static String envName(String key) {
        return "VAP_" + key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601; IllegalArgumentException otherwise. */
    public static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase();
        if (t.startsWith("p")) {
            return Duration.parse(s.trim().toUpperCase());
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException(s);
        };
    }

    private <T> T parse(String key, T defaultValue, Function<String, T> parser, String expected) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            return parser.apply(v.trim());
        } catch (RuntimeException e) {
            throw new ConfigException(key + " = '" + v + "' is not " + expected);
        }
    }
}
