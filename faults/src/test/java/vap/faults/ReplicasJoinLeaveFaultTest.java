package vap.faults;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import vap.detector.service.DetectorService;
import vap.recognizer.service.RecognizerService;

/**
 * A second detector and a second recognizer join mid-run (the groups rebalance their two partitions), then the
 * first of each leaves: batches in flight at a rebalance are re-read, not lost, and no row is written twice.
 */
class ReplicasJoinLeaveFaultTest {
    @RegisterExtension
    static final FaultRun run = new FaultRun();

    @Test
    void replicasJoiningAndLeavingMidRunLoseNothingAndWriteNothingTwice() throws Exception {
        FaultPipeline p = run.pipeline();
        p.startSinks();
        RecognizerService recognizer = p.startRecognizer();
        DetectorService detector = p.startDetector();
        p.startCamera(2); // camera-1 and camera-2 hash to partitions 0 and 1: each replica gets one
        Thread.sleep(6_000);
        System.out.println("fault: a second detector and recognizer join at " + java.time.Instant.now());
        p.startDetector();
        p.startRecognizer();
        Thread.sleep(8_000);
        System.out.println("fault: the first detector and recognizer leave at " + java.time.Instant.now());
        detector.close();
        recognizer.close();
        Thread.sleep(8_000);
        p.stopCameraAndDrain();
        run.tally("replicas join and leave").assertNothingLostNothingTwice(30);
    }
}
