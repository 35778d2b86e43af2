package vap.sinks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import vap.messages.Alert;
import vap.messages.Match;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alerts from face tracks, and the suppression window in event time, through the real topology (window 5 s). */
class AlertTracksTest {
    @RegisterExtension
    final AlertTestDriver topology = new AlertTestDriver("alerts-tracks-test", Duration.ofSeconds(5));

    static Match tracked(String identity, String camera, long seq, long secondsAfterT0, String trackId) {
        return Match.newBuilder(Samples.match(identity, camera, seq, secondsAfterT0)).setTrackId(trackId)
                .setBestShotJpeg(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) seq})).build();
    }

    @Test
    void oneAlertPerTrackCarryingItsBestShotAndTrackId() {
        // Ada's track t1 is decided at 0 s; its decision flips away and back, so a second Match of t1 comes 20 s
        // later (beyond the window): still the same appearance.
        topology.matches().pipeInput("ada", tracked("ada", "lobby", 1, 0, "t1"));
        topology.matches().pipeInput("ada", tracked("ada", "lobby", 41, 20, "t1"));
        List<Alert> first = topology.alerts().readValuesToList();
        assertEquals(1, first.size(), "one alert per track");
        assertEquals("t1", first.get(0).getTrackId());
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8, 1}, bytes(first.get(0).getBestShotJpeg()));

        // A new track of Ada on the same camera 2 s after that match: a re-appearance within the window, folded.
        topology.matches().pipeInput("ada", tracked("ada", "lobby", 45, 22, "t2"));
        assertTrue(topology.alerts().isEmpty());
        // A new track 10 s later: a new appearance, a new alert, with its own track id.
        topology.matches().pipeInput("ada", tracked("ada", "lobby", 65, 32, "t3"));
        assertEquals(List.of("t3"), topology.alerts().readValuesToList().stream().map(Alert::getTrackId).toList());
        // Bob on the same track id space is alerted on his own.
        topology.matches().pipeInput("bob", tracked("bob", "lobby", 66, 32, "t4"));
        assertEquals(List.of("bob/lobby/66"), topology.alertIds());
    }

    @Test
    void aBacklogDoesNotExpireAnAppearanceThatIsStillGoingOn() {
        // The pipeline is behind: matches are processed 20-60 s of wall clock after their capture. The wall clock
        // races ahead while Ada's frames (2 s apart in capture time, so one appearance) trickle in.
        topology.matches().pipeInput("ada", Samples.match("ada", "lobby", 1, 0));
        assertEquals(1, topology.alerts().readValuesToList().size());
        for (int i = 1; i <= 6; i++) {
            topology.driver().advanceWallClockTime(Duration.ofSeconds(20)); // the expiry punctuation runs
            topology.matches().pipeInput("ada", Samples.match("ada", "lobby", 1 + i, 2L * i));
        }
        assertTrue(topology.alerts().isEmpty(), "no second alert for one appearance, however late it is processed");

        // Event time still forgets: once Ada is 11 s (> two windows) gone in capture time, and Bob's match moved
        // it on, her entry expires, and her next match is a new appearance (as it is by the window alone).
        topology.matches().pipeInput("bob", Samples.match("bob", "lobby", 100, 30));
        topology.driver().advanceWallClockTime(Duration.ofSeconds(20));
        topology.matches().pipeInput("ada", Samples.match("ada", "lobby", 101, 31));
        assertEquals(List.of("bob/lobby/100", "ada/lobby/101"),
                topology.alertIds());
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
