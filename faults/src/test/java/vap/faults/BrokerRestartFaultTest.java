package vap.faults;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;

/** The Kafka broker stopped and started again (same port, same log) while ingest, detector, recognizer, sinks run. */
class BrokerRestartFaultTest {
    @TempDir
    static Path work;
    static FaultStack stack;

    @BeforeAll
    static void stack() {
        stack = new FaultStack(work.resolve("stack"));
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    @Test
    void aBrokerRestartedMidRunLosesNothingAndWritesNothingTwice() throws Exception {
        try (FaultPipeline p = new FaultPipeline(stack, work)) {
            p.startSinks();
            p.startRecognizer();
            p.startDetector();
            p.startCamera();
            Thread.sleep(8_000);
            stack.stopKafka();
            Thread.sleep(6_000);
            stack.startKafka();
            Thread.sleep(10_000);
            p.stopCamera();
            p.awaitDrained();
        }
        try (Connection db = stack.database()) {
            PipelineTally t = PipelineTally.count(stack.kafkaSettings(), db);
            t.print("broker restart");
            t.assertNothingLostNothingTwice(30);
        }
    }
}
