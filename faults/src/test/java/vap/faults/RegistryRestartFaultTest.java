package vap.faults;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The schema registry stopped 2 s after the camera starts, before the first track closes: the first Appearance
 * cannot register its schema and the sinks cannot resolve it, until the registry is back (same port, same file).
 */
class RegistryRestartFaultTest {
    @RegisterExtension
    static final FaultRun run = new FaultRun();

    @Test
    void aRegistryRestartedMidRunLosesNothingAndWritesNothingTwice() throws Exception {
        run.pipeline().startAll();
        Thread.sleep(2_000);
        run.stack().stopRegistry();
        Thread.sleep(10_000);
        run.stack().startRegistry();
        Thread.sleep(10_000);
        run.pipeline().stopCameraAndDrain();
        run.tally("registry restart").assertNothingLostNothingTwice(30);
    }
}
