package vap.faults;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The set-up every fault test shares, as a JUnit extension ({@code @RegisterExtension static final FaultRun run}):
 * a {@link FaultStack} of its own per test class in a fresh work directory, a {@link FaultPipeline} per test, and
 * the {@link PipelineTally} counted after the pipeline is closed. The test itself holds only its fault.
 */
final class FaultRun implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private Path work;
    private FaultStack stack;
    private FaultPipeline pipeline;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        work = Files.createTempDirectory("vap-" + context.getRequiredTestClass().getSimpleName() + "-");
        stack = new FaultStack(work.resolve("stack"));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        pipeline = new FaultPipeline(stack, work);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (stack != null) {
                stack.close();
            }
        } finally {
            deleteRecursively(work);
        }
    }

    FaultStack stack() {
        return stack;
    }

    FaultPipeline pipeline() {
        return pipeline;
    }

    /** Where this test class's files go (worker logs next to the stack's data), deleted after the class. */
    Path work() {
        return work;
    }

    /** Closes the pipeline (its last writes done), then counts what reached the topics and tables and prints it. */
    PipelineTally tally(String fault) throws Exception {
        pipeline.close();
        try (Connection db = stack.database()) {
            PipelineTally t = PipelineTally.count(stack.kafkaSettings(), db);
            t.print(fault);
            return t;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        List<Path> deepestFirst;
        try (Stream<Path> paths = Files.walk(dir)) {
            deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : deepestFirst) {
            Files.deleteIfExists(p);
        }
    }
}
