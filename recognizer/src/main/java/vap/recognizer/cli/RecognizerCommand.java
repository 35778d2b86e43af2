package vap.recognizer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.service.ServiceRunner;
import vap.recognizer.service.RecognizerService;

/** {@code vap recognizer}: the recognizer service on its own, against the configured cluster. */
@Command(name = "recognizer", mixinStandardHelpOptions = true,
        description = {"Run the recognizer service: face crops in, sightings and matches out; the watchlist follows "
                + "the gallery topic. Runs until interrupted.", "  vap recognizer --config production.properties",
                "  vap recognizer bench    (the benchmark)"})
public final class RecognizerCommand implements VapCommand {
    @Mixin
    ServiceOptions options;

    @Option(names = "--metrics-port", description = "Port of /metrics and /health (recognizer.http.port; 0: a free port).")
    Integer metricsPort;

    @Override
    public Integer call() throws Exception {
        Settings s = options.settings();
        if (metricsPort != null) {
            s = s.with("recognizer.http.port", metricsPort.toString());
        }
        return ServiceRunner.of("recognizer").run(s, RecognizerService::start);
    }
}
