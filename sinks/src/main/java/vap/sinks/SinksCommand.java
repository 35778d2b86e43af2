package vap.sinks;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.observe.ServiceEndpoint;

import java.util.concurrent.CountDownLatch;

/** {@code vap sinks}: the database writers and the alert stream against a running cluster. */
@Command(name = "sinks", mixinStandardHelpOptions = true,
        description = "Run the sinks alone: sightings/matches/alerts into PostgreSQL, matches into deduplicated alerts.")
public final class SinksCommand implements VapCommand {
    @Mixin
    ServiceOptions options = new ServiceOptions();
    @Option(names = "--only", description = "db or alerts: run only that half (to scale them separately).")
    String only;

    @Override
    public Integer call() throws Exception {
        Settings s = options.settings();
        PrometheusMeterRegistry metrics = ServiceEndpoint.newRegistry("vap-sinks");
        try (ServiceEndpoint endpoint = ServiceEndpoint.start(s.string("sinks.http.bind", "0.0.0.0"),
                s.integer("sinks.http.port", 0), metrics);
             SinksService sinks = SinksService.start(SinksConfig.from(s), KafkaSettings.from(s), metrics,
                     only == null || only.equals("db"), only == null || only.equals("alerts"))) {
            endpoint.addCheck("sinks", () -> sinks.healthy() ? ServiceEndpoint.Health.up(sinks.describe())
                    : ServiceEndpoint.Health.down(sinks.describe()));
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.err.println("sinks running; Ctrl-C to stop");
            stop.await();
        }
        return 0;
    }
}
