package vap.photos.evaldetect;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import vap.core.cli.VapCommand;

/**
 * {@code vap eval}: the parent of the evaluation commands. A minimal stand-in so {@code vap eval detect} can be
 * run in this branch; the recognition evaluation brings the real one (with {@code verify} and {@code identify}),
 * and this class goes when the two are merged.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Measure the models on labelled data.")
public final class EvalCommand implements VapCommand {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }
}
