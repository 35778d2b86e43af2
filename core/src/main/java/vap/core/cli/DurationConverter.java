package vap.core.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import vap.core.config.Settings;

import java.time.Duration;

/** Picocli options of type Duration written as in the configuration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code PT1H}. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Settings.parseDuration(value);
        } catch (RuntimeException e) {
            throw new TypeConversionException("'" + value + "' is not a duration such as 500ms, 30s, 5m");
        }
    }
}
