package vap.sinks;

import org.junit.jupiter.api.Test;
import vap.core.config.ConfigException;
import vap.core.config.Settings;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SinksConfigTest {
    private static final Settings BASE = Settings.of(Map.of("sinks.jdbc.url", "jdbc:postgresql://db:5432/vap"));

    @Test
    void defaults() {
        SinksConfig c = SinksConfig.from(BASE);
        assertEquals("vap-sinks-db", c.groupId());
        assertEquals("vap-alerts", c.alertsApplicationId());
        assertEquals(500, c.batchSize());
        assertEquals(Duration.ofSeconds(30), c.suppressionWindow());
        assertEquals(SinksConfig.Part.ALL, c.part());
        assertTrue(c.part().databaseWriters() && c.part().alertStream());
    }

    @Test
    void groupIdUnderItsNewAndItsOldName() {
        assertEquals("g-new", SinksConfig.from(BASE.with("sinks.group.id", "g-new")).groupId());
        assertEquals("g-old", SinksConfig.from(BASE.with("sinks.db.group.id", "g-old")).groupId());
    }

    @Test
    void onlyOneHalf() {
        SinksConfig db = SinksConfig.from(BASE.with("sinks.only", "db"));
        assertTrue(db.part().databaseWriters());
        assertFalse(db.part().alertStream());
        SinksConfig alerts = SinksConfig.from(BASE.with("sinks.only", "Alerts"));
        assertFalse(alerts.part().databaseWriters());
        assertTrue(alerts.part().alertStream());
    }

    @Test
    void rejectsWhatCannotWork() {
        assertTrue(assertThrows(ConfigException.class, () -> SinksConfig.from(Settings.empty()))
                .getMessage().contains("sinks.jdbc.url is required"));
        assertTrue(assertThrows(ConfigException.class, () -> SinksConfig.from(BASE.with("sinks.jdbc.url", "postgres://db")))
                .getMessage().contains("JDBC URL"));
        assertTrue(assertThrows(ConfigException.class, () -> SinksConfig.from(BASE.with("sinks.batch.size", "0")))
                .getMessage().contains("sinks.batch.size must be at least 1, got 0"));
        assertTrue(assertThrows(ConfigException.class, () -> SinksConfig.from(BASE.with("sinks.group.id", " ")))
                .getMessage().contains("sinks.group.id"));
        assertTrue(assertThrows(ConfigException.class,
                () -> SinksConfig.from(BASE.with("sinks.alerts.suppression.window", "0s")))
                .getMessage().contains("sinks.alerts.suppression.window must be positive"));
        assertTrue(assertThrows(ConfigException.class, () -> SinksConfig.from(BASE.with("sinks.only", "both")))
                .getMessage().contains("sinks.only must be all, db or alerts, got 'both'"));
    }
}
