package vap.faults;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;

/**
 * The schema registry stopped 2 s after the camera starts, before the first track closes: the first Appearance
 * cannot register its schema and the sinks cannot resolve it, until the registry is back (same port, same file).
 */
class RegistryRestartFaultTest {
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
    void aRegistryRestartedMidRunLosesNothingAndWritesNothingTwice() throws Exception {
        try (FaultPipeline p = new FaultPipeline(stack, work)) {
            p.startSinks();
            p.startRecognizer();
            p.startDetector();
            p.startCamera();
            Thread.sleep(2_000);
            stack.stopRegistry();
            Thread.sleep(10_000);
            stack.startRegistry();
            Thread.sleep(10_000);
            p.stopCamera();
            p.awaitDrained();
        }
        try (Connection db = stack.database()) {
            PipelineTally t = PipelineTally.count(stack.kafkaSettings(), db);
            t.print("registry restart");
            t.assertNothingLostNothingTwice(30);
        }
    }
}
