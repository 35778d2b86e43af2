package vap.console;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vap.console.auth.PasswordHash;
import vap.console.auth.Role;
import vap.console.auth.UserDirectory;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code vap console hash-password}: prints a users-file line for a password read from the terminal or stdin. */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = "Read a password (terminal, without echo, or stdin) and print its PBKDF2 hash, or a whole users-file line with --user.")
public final class HashPasswordCommand implements Callable<Integer> {
    @Option(names = "--user", description = "Print the line 'user,role,hash' for this user.")
    String user;
    @Option(names = "--role", description = "viewer, analyst or admin (with --user).", defaultValue = "viewer")
    String role;
    @Option(names = "--iterations", description = "PBKDF2 iterations.", defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS)
    int iterations;

    @Override
    public Integer call() throws Exception {
        char[] password;
        Console terminal = System.console();
        if (terminal != null) {
            password = terminal.readPassword("password: ");
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            System.err.println("no password given");
            return 2;
        }
        PasswordHash hash = PasswordHash.of(password, iterations);
        System.out.println(user == null ? hash.encoded() : UserDirectory.line(user, Role.parse(role), hash));
        return 0;
    }
}
