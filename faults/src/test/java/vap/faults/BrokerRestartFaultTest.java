package vap.faults;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Kafka broker stopped and started again (same port, same log) while ingest, detector, recognizer, sinks run. */
class BrokerRestartFaultTest {
    @RegisterExtension
    static final FaultRun run = new FaultRun();

    @Test
    void aBrokerRestartedMidRunLosesNothingAndWritesNothingTwice() throws Exception {
        run.pipeline().startAll();
        Thread.sleep(8_000);
        run.stack().stopKafka();
        Thread.sleep(6_000);
        run.stack().startKafka();
        Thread.sleep(10_000);
        run.pipeline().stopCameraAndDrain();
        run.tally("broker restart").assertNothingLostNothingTwice(30);
    }
}
