package vap.core.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.observe.ConnectionProbe;
import vap.core.observe.ServiceEndpoint;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How every {@code vap <service>} command runs its service: a metrics registry tagged {@code vap-<name>}, the
 * {@code /metrics} and {@code /health} endpoint on {@code <name>.http.bind}:{@code <name>.http.port}, the service,
 * then a wait until Ctrl-C (or {@code runFor}). The service is closed inside the shutdown hook: the JVM halts as
 * soon as its hooks return, so closing afterwards on the main thread would cut the consumer group leave and the
 * final snapshot short. Exit codes: the service's own on a clean stop (0 unless it says otherwise), 1 when it
 * could not start, 2 when its configuration is wrong; the message goes to stderr.
 */
public final class ServiceRunner {
    /** Starts the service from the settings; throws with a message a user can act on. */
    @FunctionalInterface
    public interface Starter {
        Service start(Settings settings, MeterRegistry metrics) throws Exception;
    }

    /** Exit code when the service could not start (Kafka, registry, models, database unreachable...). */
    public static final int START_FAILED = 1;
    /** Exit code when the configuration is wrong, as picocli's usage errors. */
    public static final int CONFIG_ERROR = 2;

    private final String name;
    private final PrintStream out;
    private final PrintStream err;
    private Duration runFor;
    private Duration statusEvery = Duration.ofDays(365);

    public ServiceRunner(String name, PrintStream out, PrintStream err) {
        this.name = name;
        this.out = out;
        this.err = err;
    }

    public static ServiceRunner of(String name) {
        return new ServiceRunner(name, System.out, System.err);
    }

    /** Stop by itself after this long (null: only on Ctrl-C). */
    public ServiceRunner runFor(Duration d) {
        this.runFor = d;
        return this;
    }

    /** Print {@link Service#report()} this often while running. */
    public ServiceRunner statusEvery(Duration d) {
        this.statusEvery = d;
        return this;
    }

    /** Runs until stopped; returns the process exit code. */
    public int run(Settings settings, Starter starter) throws InterruptedException {
        PrometheusMeterRegistry metrics = ServiceEndpoint.newRegistry("vap-" + name);
        ServiceEndpoint endpoint;
        Service service;
        try {
            endpoint = ServiceEndpoint.start(settings.string(name + ".http.bind", "0.0.0.0"),
                    settings.integer(name + ".http.port", 0), metrics);
        } catch (RuntimeException e) {
            err.println(name + " failed to start: " + e.getMessage());
            return e instanceof ConfigException ? CONFIG_ERROR : START_FAILED;
        }
        try {
            service = starter.start(settings, metrics);
        } catch (InterruptedException e) {
            endpoint.close();
            throw e;
        } catch (Exception e) {
            endpoint.close();
            err.println(name + " failed to start: " + e.getMessage());
            return e instanceof ConfigException || e instanceof IllegalArgumentException ? CONFIG_ERROR : START_FAILED;
        }
        endpoint.addCheck(name, service::health);
        ConnectionProbe kafkaProbe = null;
        if (settings.has(KafkaSettings.BOOTSTRAP)) {
            // A service whose broker is gone cannot work even if its threads are fine: /health says so.
            kafkaProbe = ConnectionProbe.kafka(KafkaSettings.from(settings),
                    settings.duration(name + ".health.interval", Duration.ofSeconds(5)),
                    settings.duration(name + ".health.kafka.down.after", Duration.ofSeconds(30)));
            endpoint.addCheck("kafka", kafkaProbe::health);
        }
        Stop stop = new Stop(service, endpoint, kafkaProbe);
        Thread hook = new Thread(stop::run, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println(name + " running; metrics and health on port " + endpoint.port() + "; "
                + (runFor == null ? "Ctrl-C stops it" : "stopping after " + runFor.toSeconds() + " s"));
        long start = System.nanoTime();
        long limit = runFor == null ? Long.MAX_VALUE : runFor.toNanos();
        long every = Math.max(1, statusEvery.toNanos());
        while (!stop.done.await(Math.max(1, Math.min(every, limit - (System.nanoTime() - start))), TimeUnit.NANOSECONDS)
                && System.nanoTime() - start < limit) {
            String status = service.report();
            if (!status.isEmpty()) {
                out.print(status);
            }
        }
        stop.run(); // run-for elapsed; on Ctrl-C the hook has already done it and this returns at once
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down (Ctrl-C): the hook ran the stop.
        }
        return stop.exitCode;
    }

    /** The one way a service stops, from the hook or from the main thread, whichever comes first. */
    private final class Stop {
        private final Service service;
        private final ServiceEndpoint endpoint;
        private final ConnectionProbe kafkaProbe;
        private final CountDownLatch done = new CountDownLatch(1);
        private boolean stopped;
        private int exitCode;

        Stop(Service service, ServiceEndpoint endpoint, ConnectionProbe kafkaProbe) {
            this.service = service;
            this.endpoint = endpoint;
            this.kafkaProbe = kafkaProbe;
        }

        synchronized void run() {
            if (stopped) {
                return;
            }
            stopped = true;
            try {
                String status = service.report();
                if (!status.isEmpty()) {
                    out.print(status);
                }
                exitCode = service.exitCode();
                err.println(name + " stopping");
                service.close();
            } catch (RuntimeException e) {
                err.println(name + " did not stop cleanly: " + e);
                exitCode = exitCode == 0 ? 1 : exitCode;
            } finally {
                if (kafkaProbe != null) {
                    kafkaProbe.close();
                }
                endpoint.close();
                out.flush();
                done.countDown();
            }
        }
    }
}
