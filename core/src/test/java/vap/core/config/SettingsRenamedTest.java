package vap.core.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SettingsRenamedTest {
    @Test
    void anOldKeyIsReadUnderItsNewName() {
        Settings old = Settings.of(Map.of("recognizer.group", "g1")).renamed("recognizer.group", "recognizer.group.id");
        assertEquals("g1", old.string("recognizer.group.id", "default"));
        assertFalse(old.has("recognizer.group"));
    }

    @Test
    void theNewKeyWinsOverTheOld() {
        Settings both = Settings.of(Map.of("recognizer.group", "old", "recognizer.group.id", "new"))
                .renamed("recognizer.group", "recognizer.group.id");
        assertEquals("new", both.string("recognizer.group.id", "default"));
        assertEquals("default", Settings.empty().renamed("a", "b").string("b", "default"));
    }
}
