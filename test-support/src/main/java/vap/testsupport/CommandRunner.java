package vap.testsupport;

import picocli.CommandLine;
import vap.core.cli.VapCommand;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/** Runs vap commands as the launcher does (picocli, found through ServiceLoader), capturing what they print. */
public final class CommandRunner {
    private CommandRunner() {
    }

    /** A command's exit code and standard output. */
    public record Run(int code, String out) {
    }

    /** The names of every {@link VapCommand} on the classpath. */
    public static Set<String> registeredNames() {
        return ServiceLoader.load(VapCommand.class).stream()
                .map(p -> p.type().getAnnotation(CommandLine.Command.class).name()).collect(Collectors.toSet());
    }

    /** The options that point a command at {@code kafka}'s broker and registry, then {@code more}. */
    public static String[] cluster(KafkaStack kafka, String... more) {
        List<String> all = new ArrayList<>(List.of("--set", "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "--set", "registry.url=" + kafka.registryUrl()));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Runs {@code command} with {@code common} then {@code args}; System.out is captured meanwhile. */
    public static Run run(VapCommand command, String[] common, String... args) {
        List<String> all = new ArrayList<>(List.of(common));
        all.addAll(List.of(args));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            int code = new CommandLine(command).execute(all.toArray(String[]::new));
            return new Run(code, captured.toString());
        } finally {
            System.setOut(original);
        }
    }
}
