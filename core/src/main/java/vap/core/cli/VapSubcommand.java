package vap.core.cli;

import java.util.concurrent.Callable;

/**
 * A command that lives under another {@code vap} command, contributed by a module the parent does not know
 * (e.g. {@code vap ingest bench} from the bench module): a picocli {@code @Command} class implementing this
 * interface, with a public no-argument constructor, listed in {@code META-INF/services/vap.core.cli.VapSubcommand}.
 * The launcher attaches it to the top-level command named by {@link #parent()}.
 */
public interface VapSubcommand extends Callable<Integer> {
    /** Name of the top-level {@code vap} command this one attaches under, e.g. {@code "ingest"}. */
    String parent();
}
