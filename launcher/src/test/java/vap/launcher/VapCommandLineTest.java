package vap.launcher;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line the ./vap script runs: every module's commands, and the benchmarks attached under theirs. */
class VapCommandLineTest {

    @Test
    void everyCommandAndEveryBenchmarkIsReachable() {
        CommandLine vap = Vap.commandLine();
        Set<String> top = vap.getSubcommands().keySet();
        assertTrue(top.containsAll(Set.of("run", "stack", "console", "eval", "verify", "ingest", "detect", "detector", "recognizer", "enroll",
                "erase", "feedback", "watchlist", "analyze", "alerts", "sinks", "pipeline-bench", "topics", "dlq")), top.toString());
        for (String parent : Set.of("ingest", "detect", "recognizer")) {
            CommandLine bench = vap.getSubcommands().get(parent).getSubcommands().get("bench");
            assertTrue(bench != null, "vap " + parent + " bench");
            assertEquals("vap " + parent + " bench", bench.getCommandSpec().qualifiedName());
        }
    }

    @Test
    void aBenchmarkRunsThroughTheCommandLine() {
        // Parsing reaches the bench command's own options: a wrong one is a usage error (exit 2), --help is 0.
        assertEquals(0, Vap.commandLine().execute("ingest", "bench", "--help"));
        assertEquals(2, Vap.commandLine().execute("recognizer", "bench", "--no-such-option"));
    }
}
