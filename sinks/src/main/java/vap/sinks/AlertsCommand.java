package vap.sinks;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.DurationConverter;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.core.serde.WireFormatException;
import vap.messages.Alert;
import vap.sinks.alerts.AlertFormat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code vap alerts}: follow the alert topic, as text for people or JSON lines for scripts. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "Follow the alert topic (vap.alerts). Reads without a consumer group, so it never takes alerts from other consumers.")
public final class AlertsCommand implements VapCommand {
    @Mixin
    ServiceOptions options = new ServiceOptions();
    @Option(names = "--json", description = "One JSON object per line instead of text.")
    boolean json;
    @Option(names = "--from-beginning", description = "Replay every alert still on the topic first.")
    boolean fromBeginning;
    @Option(names = "--max", description = "Stop after this many alerts (default: follow until Ctrl-C).", defaultValue = "-1")
    long max;
    @Option(names = "--timeout", converter = DurationConverter.class,
            description = "Stop after this long without an alert (e.g. 30s; default: never).")
    Duration idleTimeout;

    @Override
    public Integer call() {
        Settings s = options.settings();
        KafkaSettings kafka = KafkaSettings.from(s);
        String topic = Topics.from(s).alerts();
        AvroCodec<Alert> codec = new AvroCodec<>(kafka.registryClient(), Alert.class, false);
        Map<String, Object> props = new HashMap<>(kafka.common());
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        // Alerts of an aborted transaction (a crashed alert stream) never happened: do not show them.
        props.put("isolation.level", "read_committed");
        long idleMs = idleTimeout == null ? Long.MAX_VALUE : idleTimeout.toMillis();
        long seen = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                consumer.wakeup();
                try {
                    main.join(5000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }));
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            if (fromBeginning) {
                consumer.seekToBeginning(parts);
            } else {
                consumer.seekToEnd(parts);
            }
            if (!json) {
                System.err.println("following " + topic + " on " + kafka.bootstrapServers() + " (Ctrl-C to stop)");
            }
            long lastAlert = System.currentTimeMillis();
            while (max < 0 || seen < max) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        Alert a = codec.decode(r.topic(), r.value());
                        System.out.println(json ? AlertFormat.json(a) : AlertFormat.human(a));
                        seen++;
                        lastAlert = System.currentTimeMillis();
                    } catch (WireFormatException e) {
                        System.err.println("skipping unreadable record at " + r.topic() + "[" + r.partition() + "]@"
                                + r.offset() + ": " + e.getMessage());
                    }
                }
                System.out.flush();
                if (System.currentTimeMillis() - lastAlert > idleMs) {
                    break;
                }
            }
        } catch (WakeupException e) {
            // Ctrl-C
        }
        return 0;
    }
}
