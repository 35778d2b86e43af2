package vap.core.observe;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import vap.core.kafka.KafkaSettings;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether a dependency (the Kafka cluster, the database) answers, checked on a background thread every
 * {@code interval} so that {@code /health} never blocks on it: DOWN once the last good answer is older than
 * {@code downAfter}, with the last error; UP again with the first good answer.
 */
public final class ConnectionProbe implements AutoCloseable {
    /** One attempt to reach the dependency; throws when it cannot. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private final String name;
    private final Check check;
    private final Duration downAfter;
    private final ScheduledExecutorService timer;
    private volatile Instant lastOk;
    private volatile String lastError = "not checked yet";
    private volatile boolean everOk;
    private AutoCloseable resource;

    public ConnectionProbe(String name, Check check, Duration interval, Duration downAfter) {
        this.name = name;
        this.check = check;
        this.downAfter = downAfter;
        this.lastOk = Instant.now(); // a start-up grace of downAfter
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-probe");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The Kafka cluster: a metadata request through an admin client kept open between probes. */
    public static ConnectionProbe kafka(KafkaSettings kafka, Duration interval, Duration downAfter) {
        Map<String, Object> p = new HashMap<>(kafka.common());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, interval.toMillis()));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1000, interval.toMillis()));
        Admin admin = Admin.create(p);
        return new ConnectionProbe("kafka", () -> {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.max(1000, interval.toMillis())))
                    .nodes().get(Math.max(1000, interval.toMillis()) + 1000, TimeUnit.MILLISECONDS).size();
            if (nodes == 0) {
                throw new IllegalStateException("the cluster reports no brokers");
            }
        }, interval, downAfter).closing(admin);
    }

    private ConnectionProbe closing(AutoCloseable r) {
        this.resource = r;
        return this;
    }

    private void probe() {
        try {
            check.run();
            lastOk = Instant.now();
            everOk = true;
            lastError = null;
        } catch (Exception | Error e) {
            // Keep probing whatever happens: the scheduler would stop this task for good on a throw.
            Throwable t = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            lastError = vap.core.kafka.UrlMasking.maskJdbc(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
    }

    public ServiceEndpoint.Health health() {
        Duration since = Duration.between(lastOk, Instant.now());
        if (lastError == null || since.compareTo(downAfter) <= 0) {
            return ServiceEndpoint.Health.up(name + (lastError == null ? " reachable" : " failing for " + since.toSeconds()
                    + " s: " + lastError));
        }
        return ServiceEndpoint.Health.down(name + (everOk ? " unreachable for " + since.toSeconds() + " s: "
                : " never reached: ") + lastError);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing a client of a dependency that is gone
            }
        }
    }
}
