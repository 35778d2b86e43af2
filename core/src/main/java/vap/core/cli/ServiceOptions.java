package vap.core.cli;

import picocli.CommandLine.Option;
import vap.core.config.Settings;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options every stand-alone service command shares: a configuration file, then VAP_* environment
 * variables, then these flags (README "Configuration").
 */
public final class ServiceOptions {
    @Option(names = {"-c", "--config"}, description = "Properties file (keys as in the README's configuration table).")
    public Path configFile;
    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (kafka.bootstrap.servers).")
    String bootstrap;
    @Option(names = "--registry-url", description = "Schema registry URL (registry.url).")
    String registryUrl;
    @Option(names = {"-D", "--set"}, description = "Any configuration key=value, e.g. -D sinks.batch.size=200.")
    Map<String, String> extra = new LinkedHashMap<>();

    public Settings settings() {
        Map<String, String> o = new LinkedHashMap<>(extra);
        if (bootstrap != null) {
            o.put("kafka.bootstrap.servers", bootstrap);
        }
        if (registryUrl != null) {
            o.put("registry.url", registryUrl);
        }
        return Settings.load(configFile).with(o);
    }
}
