package vap.sinks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import vap.messages.Alert;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One alert per appearance, per (identity, camera), driven through the real topology. */
class AlertTopologyTest {
    @RegisterExtension
    final AlertTestDriver topology = new AlertTestDriver("alerts-test", Duration.ofSeconds(30));

    @Test
    void oneAlertPerAppearance() {
        // Step 1: Ada is seen on the lobby camera in 20 frames over 10 s: one appearance, one alert.
        for (int i = 0; i < 20; i++) {
            topology.matches().pipeInput("ada", Samples.match("ada", "lobby", i, i / 2));
        }
        List<Alert> first = topology.alerts().readValuesToList();
        assertEquals(1, first.size());
        assertEquals("ada/lobby/0", first.get(0).getAlertId());
        assertEquals("lobby", first.get(0).getCameraId());

        // Step 2: the same minute, on another camera: a separate appearance.
        topology.matches().pipeInput("ada", Samples.match("ada", "garage", 1, 12));
        topology.matches().pipeInput("ada", Samples.match("ada", "garage", 2, 13));
        assertEquals(List.of("ada/garage/1"), topology.alertIds());

        // Step 3: another person on the lobby camera is alerted independently.
        topology.matches().pipeInput("bob", Samples.match("bob", "lobby", 30, 11));
        assertEquals(List.of("bob/lobby/30"), topology.alertIds());

        // Step 4: Ada leaves the lobby; 29 s after her last frame she is still the same appearance ...
        topology.matches().pipeInput("ada", Samples.match("ada", "lobby", 100, 9 + 29));
        assertTrue(topology.alerts().isEmpty());
        // ... and after 31 s away she is back: a new appearance, a new alert.
        topology.matches().pipeInput("ada", Samples.match("ada", "lobby", 200, 38 + 31));
        assertEquals(List.of("ada/lobby/200"), topology.alertIds());

        // Step 5: a late, out-of-order match from inside the earlier appearance changes nothing.
        topology.matches().pipeInput("ada", Samples.match("ada", "lobby", 50, 20));
        assertTrue(topology.alerts().isEmpty());
    }
}
