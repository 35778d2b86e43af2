package vap.bench.ingest;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.utils.ByteBufferOutputStream;
import vap.ingest.camera.CameraSource;
import vap.ingest.decode.CameraDecoder;
import vap.ingest.decode.DecodedFrame;
import vap.ingest.decode.FrameSampler;
import vap.ingest.decode.JpegEncoder;
import vap.ingest.decode.SourceException;
import vap.messages.Frame;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest benchmark (README "Benchmark"): what one core of this machine does, side by side in the same run
 * with Debian's ffmpeg decoding the same file to JPEG.
 * <ol>
 *   <li><b>Every frame</b>: H.264 file decoded and every frame published as a JPEG Frame record (decode,
 *       colour conversion, JPEG, Avro; no Kafka, so the broker's CPU does not blur the figure), against
 *       {@code ffmpeg -threads 1 -i f.mp4 -q:v Q -f image2pipe -c:v mjpeg -}. Both are reported in frames per
 *       CPU-second of their own process (so a second core, JIT or GC cannot flatter either) and as the ratio.</li>
 *   <li><b>Sampled 5 fps</b>: 25 fps 720p, every frame decoded, 5 per second encoded: how many such cameras one
 *       core sustains (media seconds per CPU second), against {@code ffmpeg -vf fps=5}.</li>
 *   <li><b>Memory per camera</b>: N paced 720p cameras decoding and encoding at 5 fps, resident memory growth / N.</li>
 *   <li><b>Compression</b>: Kafka's codecs on a batch of the JPEG frames: why the producer sends them uncompressed.</li>
 * </ol>
 * Input videos are made by Debian's ffmpeg ({@code testsrc2} with sensor-like noise, x264 CRF 23, no
 * B-frames, like many IP cameras) unless {@code --input} names real footage.
 * <p>Over 300 lines because each of its four sections runs the ffmpeg reference side by side with ours in the same method.
 */
public final class IngestBench {
    /** Benchmark parameters; {@link IngestBenchCommand} fills them from the command line. */
    public record Options(List<String> sizes, int seconds, int rounds, int quality, int ffmpegQscale,
                          double sampleFps, int memoryCameras, int memorySeconds, Path input, Path workDir) {
    }

    /** One measured run. */
    record Run(long frames, long published, long jpegBytes, long wallNanos, long cpuNanos) {
        double perCpuSecond() {
            return published / (cpuNanos / 1e9);
        }

        double wallFps() {
            return published / (wallNanos / 1e9);
        }

        double avgJpegKb() {
            return published == 0 ? 0 : jpegBytes / 1024.0 / published;
        }
    }

    private static final String FFMPEG = "/usr/bin/ffmpeg";
    private final Options o;
    private final PrintStream out;
    private final List<byte[]> sampleJpegs = new ArrayList<>();

    public IngestBench(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new IngestBenchCommand()).execute(args));
    }

    public void run() throws Exception {
        if (!Files.isExecutable(Path.of(FFMPEG))) {
            throw new IllegalStateException("the benchmark compares with Debian's ffmpeg: apt-get install ffmpeg");
        }
        Files.createDirectories(o.workDir());
        out.printf(Locale.ROOT, "# vap ingest benchmark%n%n%s, %d cores available to the JVM, %s%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), Instant.now());
        out.printf(Locale.ROOT, "JPEG quality %d (ingest, libjpeg-turbo) vs ffmpeg -q:v %d (mjpeg); one decoding "
                + "thread each; best of %d rounds, interleaved%n%n", o.quality(), o.ffmpegQscale(), o.rounds());
        List<Path> videos = new ArrayList<>();
        for (String size : o.sizes()) {
            videos.add(o.input() != null ? o.input() : makeVideo(size));
        }
        // Warm up the JIT and load the native libraries outside the measurements.
        ingest(videos.get(0), 0, 2);

        out.println("## Every frame published");
        out.println();
        out.println("| input | frames | ingest frames/CPU-s | ffmpeg frames/CPU-s | ratio | ingest wall fps | ffmpeg wall fps "
                + "| JPEG KB ingest / ffmpeg |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < videos.size(); i++) {
            Run best = null;
            Run ref = null;
            for (int r = 0; r < o.rounds(); r++) {
                Run ff = ffmpeg(videos.get(i), null);
                Run in = ingest(videos.get(i), 0, Integer.MAX_VALUE);
                best = best == null || in.perCpuSecond() > best.perCpuSecond() ? in : best;
                ref = ref == null || ff.perCpuSecond() > ref.perCpuSecond() ? ff : ref;
            }
            out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.2f | %.0f | %.0f | %.1f / %.1f |%n",
                    label(videos.get(i)), best.published(), best.perCpuSecond(), ref.perCpuSecond(),
                    best.perCpuSecond() / ref.perCpuSecond(), best.wallFps(), ref.wallFps(), best.avgJpegKb(),
                    ref.avgJpegKb());
        }

        Path big = videos.get(videos.size() - 1);
        out.println();
        out.printf(Locale.ROOT, "## Cameras per core at %.0f fps (%s, every frame decoded, %.0f per second encoded)%n%n",
                o.sampleFps(), label(big), o.sampleFps());
        out.println("| pipeline | CPU-s per camera-second | cameras per core |");
        out.println("|---|---:|---:|");
        Run sampledBest = null;
        Run sampledRef = null;
        double mediaSeconds = mediaSeconds(big);
        for (int r = 0; r < o.rounds(); r++) {
            Run ff = ffmpeg(big, o.sampleFps());
            Run in = ingest(big, o.sampleFps(), Integer.MAX_VALUE);
            sampledBest = sampledBest == null || in.cpuNanos() < sampledBest.cpuNanos() ? in : sampledBest;
            sampledRef = sampledRef == null || ff.cpuNanos() < sampledRef.cpuNanos() ? ff : sampledRef;
        }
        double inPerSec = sampledBest.cpuNanos() / 1e9 / mediaSeconds;
        double ffPerSec = sampledRef.cpuNanos() / 1e9 / mediaSeconds;
        out.printf(Locale.ROOT, "| ingest | %.3f | %.1f |%n", inPerSec, 1 / inPerSec);
        out.printf(Locale.ROOT, "| ffmpeg -vf fps=%.0f | %.3f | %.1f |%n", o.sampleFps(), ffPerSec, 1 / ffPerSec);
        out.printf(Locale.ROOT, "%nratio ingest / ffmpeg: %.2f%n", ffPerSec / inPerSec);

        if (o.memoryCameras() > 0) {
            memory(big);
        }
        compression();
    }

    /** Decodes {@code video} on this thread; publishes every frame (sampleFps 0) or sampleFps per second. */
    Run ingest(Path video, double sampleFps, int maxFrames) throws SourceException {
        CameraSource source = CameraSource.of("bench", video.toString()).withRealtime(false);
        FrameSampler sampler = sampleFps > 0 ? new FrameSampler(sampleFps) : null;
        long frames = 0;
        long published = 0;
        long bytes = 0;
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        try (CameraDecoder decoder = new CameraDecoder(source, new CameraDecoder.Settings(Duration.ofSeconds(5), 1));
             JpegEncoder encoder = new JpegEncoder(o.quality(), 0)) {
            decoder.open();
            DecodedFrame f;
            while (frames < maxFrames && (f = decoder.grab()) != null) {
                frames++;
                if (sampler != null && !sampler.accept(f.timestampUs())) {
                    continue;
                }
                byte[] jpeg = encoder.encode(f);
                Frame record = Frame.newBuilder().setCameraId("bench").setSequence(published)
                        .setCaptureTimestamp(Instant.now()).setWidth(encoder.width()).setHeight(encoder.height())
                        .setJpeg(ByteBuffer.wrap(jpeg)).build();
                try {
                    record.toByteBuffer(); // the Avro encoding a published frame costs
                } catch (IOException e) {
                    throw new IllegalStateException("Avro encoding in memory failed", e);
                }
                bytes += jpeg.length;
                if (sampleJpegs.size() < 96 && frames % 3 == 0) {
                    sampleJpegs.add(jpeg);
                }
                published++;
            }
        }
        return new Run(frames, published, bytes, System.nanoTime() - t0, processCpuNanos() - cpu0);
    }

    /** Debian's ffmpeg on the same file; CPU time of the child from its parent shell's /proc stat. */
    Run ffmpeg(Path video, Double sampleFps) throws IOException, InterruptedException {
        String filter = sampleFps == null ? "" : " -vf fps=" + sampleFps;
        String cmd = FFMPEG + " -nostdin -loglevel error -threads 1 -i '" + video + "' -threads 1 -filter_threads 1"
                + filter + " -q:v " + o.ffmpegQscale() + " -f image2pipe -c:v mjpeg - ; echo; echo STAT $(cat /proc/$$/stat)";
        Process p = new ProcessBuilder("/bin/sh", "-c", cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long t0 = System.nanoTime();
        AtomicLong bytes = new AtomicLong();
        AtomicLong jpegs = new AtomicLong();
        byte[] tail = new byte[4096];
        int tailLen = 0;
        try (InputStream in = p.getInputStream()) {
            byte[] buf = new byte[1 << 16];
            int n;
            int prev = -1;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    int b = buf[i] & 0xff;
                    if (prev == 0xff && b == 0xd8) {
                        jpegs.incrementAndGet(); // start-of-image marker
                    }
                    prev = b;
                }
                bytes.addAndGet(n);
                int keep = Math.min(n, tail.length);
                if (tailLen + keep > tail.length) {
                    int shift = tailLen + keep - tail.length;
                    System.arraycopy(tail, shift, tail, 0, tailLen - shift);
                    tailLen -= shift;
                }
                System.arraycopy(buf, n - keep, tail, tailLen, keep);
                tailLen += keep;
            }
        }
        int rc = p.waitFor();
        long wall = System.nanoTime() - t0;
        String t = new String(tail, 0, tailLen, StandardCharsets.ISO_8859_1);
        int at = t.lastIndexOf("STAT ");
        if (rc != 0 || at < 0) {
            throw new IllegalStateException("ffmpeg reference run failed (exit " + rc + ")");
        }
        String[] f = t.substring(at + 5).trim().split(" ");
        // Fields 16 and 17 (1-based): cutime, cstime: CPU of waited-for children, in clock ticks (100 Hz on Linux).
        int close = Arrays.asList(f).indexOf(Arrays.stream(f).filter(x -> x.endsWith(")")).findFirst().orElse(f[1]));
        long ticks = Long.parseLong(f[close + 14]) + Long.parseLong(f[close + 15]);
        long cpu = ticks * 10_000_000L;
        long n = jpegs.get();
        return new Run(n, n, bytes.get(), wall, cpu);
    }

    private void memory(Path video) throws Exception {
        int n = o.memoryCameras();
        System.gc();
        long rss0 = rssBytes();
        long heap0 = usedHeap();
        CountDownLatch done = new CountDownLatch(n);
        List<Thread> threads = new ArrayList<>();
        AtomicLong published = new AtomicLong();
        long until = System.nanoTime() + Duration.ofSeconds(o.memorySeconds()).toNanos();
        long[] peak = {0};
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    pacedCamera(video, until, published);
                } catch (SourceException e) {
                    out.println("memory run: " + e.getMessage());
                } finally {
                    done.countDown();
                }
            }, "bench-camera-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        while (done.getCount() > 0) {
            Thread.sleep(500);
            peak[0] = Math.max(peak[0], rssBytes());
        }
        System.gc();
        long heap1 = usedHeap();
        out.println();
        out.printf(Locale.ROOT, "## Memory per camera (%d paced cameras, %s, %.0f fps published, %d s)%n%n", n,
                label(video), o.sampleFps(), o.memorySeconds());
        out.printf(Locale.ROOT, "resident memory grew by %.1f MB: %.1f MB per camera (JVM heap after GC %+.1f MB); "
                + "%d frames encoded%n", (peak[0] - rss0) / 1e6, (peak[0] - rss0) / 1e6 / n, (heap1 - heap0) / 1e6,
                published.get());
    }

    private void pacedCamera(Path video, long untilNanos, AtomicLong published) throws SourceException {
        CameraSource source = CameraSource.of("mem", video.toString());
        FrameSampler sampler = new FrameSampler(o.sampleFps());
        try (CameraDecoder decoder = new CameraDecoder(source, new CameraDecoder.Settings(Duration.ofSeconds(5), 1));
             JpegEncoder encoder = new JpegEncoder(o.quality(), 0)) {
            decoder.open();
            long anchor = System.nanoTime();
            long media0 = -1;
            while (System.nanoTime() < untilNanos) {
                DecodedFrame f = decoder.grab();
                if (f == null) {
                    decoder.rewind();
                    anchor = System.nanoTime();
                    media0 = -1;
                    continue;
                }
                if (media0 < 0) {
                    media0 = f.timestampUs();
                }
                long wait = anchor + (f.timestampUs() - media0) * 1000 - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (sampler.accept(System.nanoTime() / 1000)) {
                    encoder.encode(f);
                    published.incrementAndGet();
                }
            }
        }
    }

    private void compression() throws IOException {
        if (sampleJpegs.isEmpty()) {
            return;
        }
        long raw = sampleJpegs.stream().mapToLong(b -> b.length).sum();
        out.println();
        out.printf(Locale.ROOT, "## Kafka compression on %d JPEG frames (%.1f MB)%n%n", sampleJpegs.size(), raw / 1e6);
        out.println("A camera at 5 fps sends a frame every 200 ms, far apart for a 10 ms linger: its batches hold one "
                + "frame. Batches of 8 frames would need cameras sharing a partition (or a long linger).");
        out.println();
        out.println("| codec | size, 1-frame batches | size, 8-frame batches | compress ms per MB |");
        out.println("|---|---:|---:|---:|");
        for (String codec : List.of("none", "lz4", "snappy", "zstd", "gzip")) {
            Compression c = Compression.of(codec).build();
            long one = 0;
            long t0 = System.nanoTime();
            for (byte[] b : sampleJpegs) {
                one += compressedSize(c, List.of(b));
            }
            long ns = System.nanoTime() - t0;
            long eight = 0;
            for (int i = 0; i < sampleJpegs.size(); i += 8) {
                eight += compressedSize(c, sampleJpegs.subList(i, Math.min(sampleJpegs.size(), i + 8)));
            }
            out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.1f |%n", codec, one / (double) raw, eight / (double) raw,
                    ns / 1e6 / (raw / 1e6));
        }
    }

    private static long compressedSize(Compression c, List<byte[]> frames) throws IOException {
        int total = frames.stream().mapToInt(b -> b.length).sum();
        ByteBufferOutputStream buf = new ByteBufferOutputStream(total + 1024);
        try (OutputStream os = c.wrapForOutput(buf, (byte) 2)) {
            for (byte[] b : frames) {
                os.write(b);
            }
        }
        return buf.position();
    }

    private Path makeVideo(String size) throws IOException, InterruptedException {
        Path f = o.workDir().resolve("bench-" + size + "-" + o.seconds() + "s.mp4");
        if (Files.exists(f)) {
            return f;
        }
        Process p = new ProcessBuilder(FFMPEG, "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=" + size + ":rate=25:duration=" + o.seconds(), "-vf", "noise=alls=6:allf=t",
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-g", "50", "-bf", "0", "-pix_fmt", "yuv420p",
                f.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg could not make the " + size + " test video");
        }
        return f;
    }

    private double mediaSeconds(Path video) throws SourceException {
        CameraSource source = CameraSource.of("probe", video.toString()).withRealtime(false);
        long first = -1;
        long last = 0;
        long n = 0;
        try (CameraDecoder d = new CameraDecoder(source, new CameraDecoder.Settings(Duration.ofSeconds(5), 1))) {
            d.open();
            double rate = d.frameRate();
            DecodedFrame f;
            while ((f = d.grab()) != null) {
                first = first < 0 ? f.timestampUs() : first;
                last = f.timestampUs();
                n++;
            }
            return (last - first) / 1e6 + (rate > 0 ? 1 / rate : 0);
        }
    }

    private static String label(Path video) {
        return video.getFileName().toString();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown CPU";
        }
        return "unknown CPU";
    }
}
