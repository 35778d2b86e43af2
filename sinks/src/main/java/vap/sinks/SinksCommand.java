package vap.sinks;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.service.ServiceRunner;

/** {@code vap sinks}: the database writers and the alert stream against a running cluster. */
@Command(name = "sinks", mixinStandardHelpOptions = true,
        description = "Run the sinks alone: sightings/matches/alerts into PostgreSQL, matches into deduplicated alerts.")
public final class SinksCommand implements VapCommand {
    @Mixin
    ServiceOptions options = new ServiceOptions();
    @Option(names = "--only", description = "db or alerts: run only that half, to scale them separately (sinks.only).")
    String only;

    @Override
    public Integer call() throws Exception {
        Settings s = options.settings();
        if (only != null) {
            s = s.with("sinks.only", only);
        }
        return ServiceRunner.of("sinks").run(s, SinksService::start);
    }
}
