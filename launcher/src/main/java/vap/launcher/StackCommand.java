package vap.launcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vap.core.cli.VapCommand;
import vap.embedded.EmbeddedStack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code vap stack}: the embedded Kafka, PostgreSQL and schema registry alone, for running services by hand. */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Start the embedded stack (Kafka KRaft, PostgreSQL, schema registry) and keep it up until Ctrl-C.")
public final class StackCommand implements VapCommand {
    @Option(names = "--work-dir", defaultValue = "${env:VAP_WORK_DIR:-.vap/work}", description = "Data directory (default ${DEFAULT-VALUE}).")
    Path workDir;
    @Option(names = "--kafka-port", defaultValue = "${env:VAP_STACK_KAFKA_PORT:-0}", description = "Kafka client port, 0 = free port.")
    int kafkaPort;
    @Option(names = "--postgres-port", defaultValue = "${env:VAP_STACK_POSTGRES_PORT:-0}", description = "PostgreSQL port, 0 = free port.")
    int postgresPort;
    @Option(names = "--registry-port", defaultValue = "${env:VAP_STACK_REGISTRY_PORT:-0}", description = "Schema registry port, 0 = free port.")
    int registryPort;
    @Option(names = "--exit-when-healthy", description = "Stop again as soon as everything reports healthy (a smoke test).")
    boolean exitWhenHealthy;

    @Override
    public Integer call() throws Exception {
        EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Config(workDir, kafkaPort, 0, postgresPort, registryPort, true));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "vap-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        StackHealth.Report report = StackHealth.check(stack);
        System.out.println(report.describe());
        System.out.println("  kafka.bootstrap.servers=" + stack.kafka().bootstrapServers());
        System.out.println("  registry.url=" + stack.registry().url());
        System.out.println("  sinks.jdbc.url=" + stack.postgres().jdbcUrl() + " (user postgres, password postgres)");
        if (exitWhenHealthy || !report.healthy()) {
            Runtime.getRuntime().removeShutdownHook(hook);
            stack.close();
            System.out.println("embedded stack stopped cleanly");
            return report.healthy() ? 0 : 1;
        }
        System.out.println("Ctrl-C to stop.");
        stopped.await();
        return 0;
    }
}
