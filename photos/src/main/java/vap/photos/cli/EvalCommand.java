package vap.photos.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import vap.core.cli.VapCommand;

/**
 * {@code vap eval}: accuracy of the pipeline on labelled photos (README "Evaluation"). Its own subcommands are
 * {@code verify} (LFW-format pairs) and {@code identify} (1:N on a folder of people); other modules attach more
 * (e.g. {@code vap eval detect}) as a {@link vap.core.cli.VapSubcommand} whose parent is {@code "eval"}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Measure recognition (and detection) accuracy on labelled photos.",
                "  vap eval verify --pairs pairsDevTest.txt --images lfw/images",
                "  vap eval identify lfw/images --enrol 1 --group 1,3"},
        subcommands = {CommandLine.HelpCommand.class, EvalVerifyCommand.class, EvalIdentifyCommand.class})
public final class EvalCommand implements VapCommand {
    /** The name other modules give as {@link vap.core.cli.VapSubcommand#parent()}. */
    public static final String NAME = "eval";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 2; // a parent alone does nothing: say how to use it
    }
}
