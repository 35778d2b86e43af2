package vap.sinks.alerts;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import vap.core.kafka.KafkaSettings;
import vap.core.registry.SchemaRegistry;
import vap.messages.Alert;
import vap.messages.Match;
import vap.sinks.SinksConfig;

import java.time.Duration;
import java.util.Properties;

/**
 * Matches in, alerts out: {@code vap.matches} [identityId] -> suppress per (identity, camera) -> {@code vap.alerts}
 * [identityId]. Matches are keyed by identity, so every camera's matches of one person meet in one task and
 * its store; no repartitioning is needed.
 *
 * <p>Run it inside {@code vap run}, or alone with {@code vap sinks}; watch its output with {@code vap alerts}.
 */
public final class AlertTopology {
    private AlertTopology() {
    }

    public static Topology build(String matchesTopic, String alertsTopic, Duration window, SchemaRegistry registry) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AppearanceSuppressor.STORE), Serdes.String(), Serdes.Long()));
        builder.stream(matchesTopic, Consumed.with(Serdes.String(), AvroSerde.of(registry, Match.class)))
                .process(() -> new AppearanceSuppressor(window), AppearanceSuppressor.STORE)
                .to(alertsTopic, Produced.with(Serdes.String(), AvroSerde.of(registry, Alert.class)));
        return builder.build();
    }

    public static Properties streamsConfig(SinksConfig config, KafkaSettings kafka) {
        Properties p = new Properties();
        p.putAll(kafka.common());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.alertsApplicationId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        // An alert is published exactly once per appearance, even across crashes: store updates, the output
        // and the input offsets commit in one Kafka transaction.
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                config.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        // Alerts should reach analysts within a fraction of a second, not at the default 100 ms-30 s commit pace.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // A bad match is skipped and counted (metric skipped-records); a registry outage is waited out, never skipped.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RegistryOutageHandler.class);
        // Kafka 5.0's default already; set now so Streams does not warn about it at every start.
        p.put("processing.exception.handler.global.enabled", true);
        return p;
    }
}
