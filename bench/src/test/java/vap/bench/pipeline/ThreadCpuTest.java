package vap.bench.pipeline;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadCpuTest {

    @Test
    void cpuOfABusyThreadGoesToItsStageEvenAfterItEnded() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
        ThreadCpu cpu = ThreadCpu.start();
        var spun = new java.util.concurrent.CountDownLatch(1);
        var exit = new java.util.concurrent.CountDownLatch(1);
        Thread busy = new Thread(() -> {
            spin(400);
            spun.countDown();
            await(exit); // like a camera thread: done working, not yet ended
        }, "detector-worker");
        Thread idle = new Thread(() -> sleep(400), "recognizer-worker");
        busy.start();
        idle.start();
        idle.join();
        spun.await();
        cpu.sample(); // read before the thread ends, as the bench does before closing the cameras
        exit.countDown();
        busy.join();
        ThreadCpu.Result r = cpu.stop();
        assertTrue(r.of("detector") >= 0.15, "a thread spinning 400 ms of CPU: " + r.byStage());
        assertTrue(r.of("recognizer") < 0.05, "a sleeping thread: " + r.byStage());
        assertTrue(r.processSeconds() >= r.of("detector") - 0.02, "the process total holds the thread's: " + r);
    }

    @Test
    void threadNamesMapToTheStagesTheyWorkFor() {
        assertEquals("detector", ThreadCpu.stage("detector-worker"));
        assertEquals("recognizer", ThreadCpu.stage("recognizer-work"));
        assertEquals("ingest", ThreadCpu.stage("camera-camera-3"));
        assertEquals("sinks", ThreadCpu.stage("sinks-sighting"));
        assertEquals("alerts", ThreadCpu.stage("vap-alerts-repl"));
        assertEquals("kafka clients", ThreadCpu.stage("kafka-producer-"));
        assertEquals("kafka broker", ThreadCpu.stage("data-plane-kafk"));
        assertEquals("native pools", ThreadCpu.stage("java"));
        assertEquals("JVM (GC, JIT)", ThreadCpu.stage("C2 CompilerThre"));
    }

    private static void spin(long cpuMillis) {
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = bean.getCurrentThreadCpuTime() + cpuMillis * 1_000_000;
        long x = 0;
        while (bean.getCurrentThreadCpuTime() < end) {
            x += System.nanoTime() % 7;
        }
        if (x == 42) {
            System.out.print(""); // keeps the loop from being optimised away
        }
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
