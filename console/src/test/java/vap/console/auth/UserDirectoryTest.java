package vap.console.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.core.config.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void aHashMatchesItsPasswordOnlyAndSurvivesItsEncoding() {
        PasswordHash h = PasswordHash.of("s3cret!".toCharArray(), 10_000);
        PasswordHash back = PasswordHash.parse(h.encoded());
        assertTrue(back.matches("s3cret!".toCharArray()));
        assertFalse(back.matches("s3cret".toCharArray()));
        assertEquals(10_000, back.iterations());
        // A fresh salt each time: the same password never gives the same line twice.
        assertNotEquals(h.encoded(), PasswordHash.of("s3cret!".toCharArray(), 10_000).encoded());
    }

    @Test
    void usersAreReadWithTheirRolesAndOnlyTheirOwnPasswordLetsThemIn() throws Exception {
        Path f = dir.resolve("users.csv");
        Files.writeString(f, "# console users\n\n"
                + UserDirectory.line("ana", Role.ANALYST, PasswordHash.of("pw-ana".toCharArray(), 10_000)) + "\n"
                + UserDirectory.line("val", Role.VIEWER, PasswordHash.of("pw-val".toCharArray(), 10_000)) + "\n");
        UserDirectory users = UserDirectory.load(f);
        assertEquals(2, users.size());
        assertEquals(Role.ANALYST, users.authenticate("ana", "pw-ana".toCharArray()).orElseThrow().role());
        assertTrue(users.authenticate("ana", "pw-val".toCharArray()).isEmpty());
        assertTrue(users.authenticate("nobody", "pw-ana".toCharArray()).isEmpty());
        assertTrue(Role.ADMIN.allows(Role.ANALYST));
        assertFalse(Role.VIEWER.allows(Role.ANALYST));
    }

    @Test
    void aBrokenLineIsRefusedWithItsLineNumber() throws Exception {
        Path f = dir.resolve("users.csv");
        Files.writeString(f, UserDirectory.line("ana", Role.ANALYST, PasswordHash.of("x".toCharArray(), 10_000))
                + "\nbob,superuser," + PasswordHash.of("y".toCharArray(), 10_000).encoded() + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> UserDirectory.load(f));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        Files.writeString(f, "carl,admin,plaintext\n");
        assertThrows(ConfigException.class, () -> UserDirectory.load(f));
    }
}
