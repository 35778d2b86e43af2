package vap.core.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationConverterTest {
    static final class Opts {
        @Option(names = "--every", defaultValue = "30s", converter = DurationConverter.class)
        Duration every;
    }

    private static Duration parse(String... args) {
        Opts o = new Opts();
        new CommandLine(o).parseArgs(args);
        return o.every;
    }

    @Test
    void readsTheConfigurationsDurations() {
        assertEquals(Duration.ofSeconds(30), parse());
        assertEquals(Duration.ofMillis(500), parse("--every", "500ms"));
        assertEquals(Duration.ofMinutes(5), parse("--every", "5m"));
        assertEquals(Duration.ofHours(1), parse("--every", "PT1H"));
        var e = assertThrows(CommandLine.ParameterException.class, () -> parse("--every", "soon"));
        assertEquals(true, e.getMessage().contains("'soon' is not a duration"), e.getMessage());
    }
}
