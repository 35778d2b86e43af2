package vap.faults;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import vap.core.kafka.Topics;
import vap.demo.PipelineProgress;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code vap detector} process killed with SIGKILL in the middle of a backlog (so inside a batch: frames read,
 * faces partly produced, nothing committed), then a replacement process started (issue 10: a detector killed
 * mid-track). The replacement re-reads from the committed offsets and starts new tracks; the killed one's tracks
 * still close with an appearance; nothing is lost and no row is written twice.
 */
class WorkerKillFaultTest {
    @RegisterExtension
    static final FaultRun run = new FaultRun();

    @Test
    void aDetectorProcessKilledMidBatchLosesNothingAndWritesNothingTwice() throws Exception {
        Topics topics = Topics.defaults();
        FaultPipeline p = run.pipeline();
        try (PipelineProgress progress = new PipelineProgress(run.stack().kafkaSettings(), List.of(topics.faces()))) {
            Map<String, String> worker = new LinkedHashMap<>(p.settings());
            // The killed member leaves the group after 6 s (the broker's minimum), not the default 45 s.
            worker.put("kafka.session.timeout.ms", "6000");
            worker.put("kafka.heartbeat.interval.ms", "1000");
            p.startSinks();
            p.startRecognizer();
            // A backlog of ~24 frames before any detector runs: the first one is killed while working through it.
            p.startCamera();
            Thread.sleep(8_000);
            long before = progress.endOffset(topics.faces());
            try (WorkerProcess first = WorkerProcess.start("detector", worker, run.work().resolve("detector-1.log"))) {
                long deadline = System.currentTimeMillis() + 120_000;
                while (progress.endOffset(topics.faces()) == before && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                long lag = progress.lag("vap-detector", topics.frames());
                System.out.println("fault: SIGKILL of the detector process at " + java.time.Instant.now()
                        + ", its first faces out, " + lag + " frames not committed");
                assertTrue(lag > 0, "killed with frames read but not committed");
                first.kill();
            }
            Thread.sleep(3_000);
            try (WorkerProcess second = WorkerProcess.start("detector", worker, run.work().resolve("detector-2.log"))) {
                Thread.sleep(12_000);
                p.stopCameraAndDrain();
                assertTrue(second.alive(), "the replacement runs");
            }
        }
        run.tally("detector SIGKILL").assertNothingLostNothingTwice(30);
    }
}
