package vap.console.auth;

import vap.core.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's users, from the file named by {@code console.users.file}: one user per line,
 * {@code name,role,hash} (role viewer/analyst/admin, hash from {@code vap console hash-password});
 * blank lines and lines starting with {@code #} are ignored.
 */
public final class UserDirectory {
    /** A user who may log in. */
    public record User(String name, Role role, PasswordHash hash) {
    }

    // Checked for unknown names too, so a login takes as long whether or not the name exists.
    private static final PasswordHash DECOY = PasswordHash.of("decoy".toCharArray());

    private final Map<String, User> users;

    private UserDirectory(Map<String, User> users) {
        if (users.isEmpty()) {
            throw new ConfigException("the console users file lists no user: add a line name,role,hash");
        }
        this.users = Map.copyOf(users);
    }

    public static UserDirectory load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read the console users file " + file + ": " + e.getMessage());
        }
        Map<String, User> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 3 || f[0].isBlank()) {
                throw new ConfigException(file + " line " + (i + 1) + ": expected name,role,hash");
            }
            try {
                User u = new User(f[0].strip(), Role.parse(f[1]), PasswordHash.parse(f[2]));
                if (users.put(u.name(), u) != null) {
                    throw new ConfigException("user '" + u.name() + "' is listed twice");
                }
            } catch (ConfigException e) {
                throw new ConfigException(file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new UserDirectory(users);
    }

    /** The user if the name exists and the password is theirs. */
    public Optional<User> authenticate(String name, char[] password) {
        User u = name == null ? null : users.get(name);
        if (u == null) {
            DECOY.matches(password);
            return Optional.empty();
        }
        return u.hash().matches(password) ? Optional.of(u) : Optional.empty();
    }

    public int size() {
        return users.size();
    }

    /** The line of the users file for this user. */
    public static String line(String name, Role role, PasswordHash hash) {
        if (name.contains(",") || name.isBlank()) {
            throw new ConfigException("a user name must be non-empty and contain no comma");
        }
        return name + "," + role.label() + "," + hash.encoded();
    }
}
