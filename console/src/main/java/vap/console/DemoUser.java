package vap.console;

import vap.console.auth.PasswordHash;
import vap.console.auth.Role;
import vap.console.auth.Sessions;
import vap.console.auth.UserDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The user {@code vap run} creates: an admin named demo with a fresh random password, written to a users file. */
public record DemoUser(String name, String password, Path usersFile) {

    public static DemoUser create(Path usersFile) throws IOException {
        String password = Sessions.randomToken().substring(0, 16);
        String line = UserDirectory.line("demo", Role.ADMIN, PasswordHash.of(password.toCharArray()));
        Files.createDirectories(usersFile.toAbsolutePath().getParent());
        Files.writeString(usersFile, "# written by vap run; a new password every run\n" + line + "\n",
                StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(usersFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps its default permissions
        }
        return new DemoUser("demo", password, usersFile);
    }
}
