package vap.console;

import vap.console.search.FaceTable;
import vap.core.config.ConfigException;
import vap.core.config.Settings;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.time.Duration;

/**
 * The console's configuration (README "Console"). The web pages listen on {@code console.web.*}; the
 * {@code console.http.*} keys are the /metrics and /health endpoint every service has.
 */
public record ConsoleConfig(String bind, int port, Path usersFile, boolean cookieSecure, Duration sessionTimeout,
                            String jdbcUrl, String jdbcUser, String jdbcPassword, int recentAlerts,
                            FaceTable searchTable, List<URI> ingestHealth) {

    public ConsoleConfig {
        if (port < 0 || port > 65535) {
            throw new ConfigException("console.web.port must be 0..65535, got " + port);
        }
        if (usersFile == null) {
            throw new ConfigException("console.users.file is required: a file of name,role,hash lines "
                    + "(hash from `vap console hash-password`)");
        }
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new ConfigException("console.jdbc.url must be a JDBC URL (jdbc:postgresql://host:5432/db), got '"
                    + jdbcUrl + "'");
        }
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new ConfigException("console.session.timeout must be positive");
        }
        if (searchTable == null) {
            throw new ConfigException("console.search.table must be sightings or appearances");
        }
        ingestHealth = List.copyOf(ingestHealth);
        if (recentAlerts < 0) {
            throw new ConfigException("console.alerts.recent must be 0 or more");
        }
    }

    /** The database defaults to the sinks' one, which holds the sightings the console reads. */
    public static ConsoleConfig from(Settings s) {
        String users = s.string("console.users.file", null);
        return new ConsoleConfig(
                s.string("console.web.bind", "0.0.0.0"),
                s.integer("console.web.port", 8080),
                users == null ? null : Path.of(users),
                s.bool("console.cookie.secure", false),
                s.duration("console.session.timeout", Duration.ofHours(8)),
                s.string("console.jdbc.url", s.string("sinks.jdbc.url", "")),
                s.string("console.jdbc.user", s.string("sinks.jdbc.user", "postgres")),
                s.string("console.jdbc.password", s.string("sinks.jdbc.password", "")),
                s.integer("console.alerts.recent", 50),
                FaceTable.named(s.string("console.search.table", "sightings")),
                Arrays.stream(s.string("console.ingest.health.urls", "").split(",")).map(String::strip)
                        .filter(u -> !u.isEmpty()).map(URI::create).toList());
    }
}
