package vap.core.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.kafka.KafkaSettings;

/** {@code vap dlq replay <topic>.dlq}: dead letters back to their source topic once the cause is fixed. */
@Command(name = "dlq", mixinStandardHelpOptions = true, subcommands = DlqCommand.Replay.class,
        description = "Dead-letter topics (<topic>.dlq).")
public final class DlqCommand implements VapCommand {
    @Override
    public Integer call() {
        System.err.println("usage: vap dlq replay <topic>.dlq   (see vap dlq replay --help)");
        return 2;
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Send the dead letters of <topic>.dlq back to <topic> with their original key and bytes. "
                    + "Progress is kept in a consumer group, so running it again replays only newer dead letters.")
    public static final class Replay implements java.util.concurrent.Callable<Integer> {
        @Mixin
        ServiceOptions options = new ServiceOptions();
        @Parameters(index = "0", description = "The dead-letter topic, e.g. vap.frames.dlq.")
        String topic;
        @Option(names = "--group", description = "Consumer group that keeps the replay's progress (default vap-dlq-replay).",
                defaultValue = "vap-dlq-replay")
        String group;

        @Override
        public Integer call() {
            var result = new DeadLetterReplay(KafkaSettings.from(options.settings()), topic, group, System.out).run();
            return result.missing() == 0 ? 0 : 1;
        }
    }
}
