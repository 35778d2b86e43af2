package vap.detector.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.observe.ServiceEndpoint;
import vap.detector.service.DetectorConfig;
import vap.detector.service.DetectorService;

import java.util.concurrent.CountDownLatch;

/** {@code vap detector}: the detector service alone, against a running cluster. */
@Command(name = "detector", mixinStandardHelpOptions = true,
        description = "Run the detector service: frames topic in, one face-crop record per face out.")
public final class DetectorCommand implements VapCommand {
    @Mixin
    ServiceOptions options = new ServiceOptions();

    @Override
    public Integer call() throws Exception {
        Settings s = options.settings();
        PrometheusMeterRegistry metrics = ServiceEndpoint.newRegistry("vap-detector");
        try (ServiceEndpoint endpoint = ServiceEndpoint.start(s.string("detector.http.bind", "0.0.0.0"),
                s.integer("detector.http.port", 0), metrics);
             DetectorService detector = DetectorService.start(DetectorConfig.from(s), KafkaSettings.from(s), metrics)) {
            endpoint.addCheck("detector", () -> detector.healthy()
                    ? ServiceEndpoint.Health.up(detector.describe())
                    : ServiceEndpoint.Health.down(detector.describe()));
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.err.println("detector running (metrics and health on port " + endpoint.port() + "); Ctrl-C to stop");
            stop.await();
        }
        return 0;
    }
}
