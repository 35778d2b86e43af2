package vap.recognizer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.observe.ServiceEndpoint;
import vap.recognizer.service.RecognizerService;

import java.util.concurrent.CountDownLatch;

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
        var registry = ServiceEndpoint.newRegistry("recognizer");
        try (ServiceEndpoint endpoint = ServiceEndpoint.start(s.string("recognizer.http.bind", "0.0.0.0"),
                metricsPort != null ? metricsPort : s.integer("recognizer.http.port", 0), registry);
             RecognizerService service = RecognizerService.start(s, registry)) {
            endpoint.addCheck("recognizer", () -> service.healthy()
                    ? ServiceEndpoint.Health.up(service.watchlist().size() + " identities")
                    : ServiceEndpoint.Health.down("a worker stopped; see the log"));
            System.out.printf("recognizer running (%d identities); metrics and health on port %d; Ctrl-C stops it%n",
                    service.watchlist().size(), endpoint.port());
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return 0;
    }
}
