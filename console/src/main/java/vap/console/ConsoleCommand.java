package vap.console;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.service.ServiceRunner;

import java.nio.file.Path;

/** {@code vap console}: the analysts' web console against a running cluster and database. */
@Command(name = "console", mixinStandardHelpOptions = true,
        subcommands = {HashPasswordCommand.class, ConsoleBenchCommand.class},
        description = "Run the analysts' web console (live alerts, appearances, watchlist) behind a login.")
public final class ConsoleCommand implements VapCommand {
    @Mixin
    ServiceOptions options = new ServiceOptions();
    @Option(names = "--users", description = "Users file: name,role,hash lines (console.users.file).")
    Path users;
    @Option(names = "--port", description = "Port of the web pages (console.web.port, default 8080).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        Settings s = options.settings();
        if (users != null) {
            s = s.with("console.users.file", users.toString());
        }
        if (port != null) {
            s = s.with("console.web.port", port.toString());
        }
        return ServiceRunner.of("console").run(s, ConsoleService::start);
    }
}
