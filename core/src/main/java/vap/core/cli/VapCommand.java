package vap.core.cli;

import java.util.concurrent.Callable;

/**
 * A subcommand of the {@code vap} command line. Modules contribute them without touching the launcher:
 * a picocli {@code @Command} class implementing this interface, with a public no-argument constructor,
 * listed in {@code META-INF/services/vap.core.cli.VapCommand}.
 */
public interface VapCommand extends Callable<Integer> {
}
