package vap.recognizer.cli;

import picocli.CommandLine.Option;
import vap.core.config.Settings;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** --config FILE and --set key=value, shared by the recognizer's commands; VAP_* environment variables apply too. */
public final class SettingsOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration properties file.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    public Settings load() {
        return Settings.load(config).with(overrides);
    }
}
