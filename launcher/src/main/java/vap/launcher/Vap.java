package vap.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import vap.core.cli.VapCommand;
import vap.core.cli.VapSubcommand;
import vap.core.config.ConfigException;

import java.util.ServiceLoader;

/**
 * The {@code vap} command line. Built-in: {@code run} (the main job), {@code stack} (the embedded stack alone).
 * Every module adds its own subcommands (ingest, detect, enroll, ...) through {@link VapCommand} services, and
 * commands under them (the benchmarks: {@code vap ingest bench}, ...) through {@link VapSubcommand} services.
 */
@Command(name = "vap", mixinStandardHelpOptions = true, version = "vap 0.1.0",
        description = "Face-analytics video pipeline: cameras -> Kafka -> MTCNN -> embeddings/age/watchlist -> alerts.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Vap implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Vap());
        for (VapCommand c : ServiceLoader.load(VapCommand.class)) {
            cl.addSubcommand(c);
        }
        for (VapSubcommand c : ServiceLoader.load(VapSubcommand.class)) {
            CommandLine parent = cl.getSubcommands().get(c.parent());
            if (parent == null) {
                throw new IllegalStateException(c.getClass().getName() + " attaches under 'vap " + c.parent()
                        + "', which is not on the classpath");
            }
            parent.addSubcommand(c);
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // A user error gets its message, not a stack trace.
            if (ex instanceof ConfigException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("vap: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
