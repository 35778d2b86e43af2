package vap.playout;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Serves local video files over RTSP, each looping forever and paced in real time, so that tests and demos
 * have real cameras: a child process running {@code rtsp_server.py} (shipped in this jar as
 * {@code vap/playout/rtsp_server.py}) on GStreamer's RTSP server through Debian's {@code /usr/bin/python3}.
 *
 * <pre>{@code
 * try (LocalRtspServer rtsp = LocalRtspServer.builder()
 *         .mount("/lobby", Path.of("lobby.mp4"))      // H.264 (mp4/mkv/mov/ts) is sent as it is
 *         .start()) {                                  // returns once the server accepts clients
 *     String url = rtsp.url("/lobby");                // rtsp://127.0.0.1:<port>/lobby
 *     ...
 *     rtsp.kill();   // like a camera losing power (SIGKILL); clients see the connection drop
 *     rtsp.start();  // back on the same port and mounts
 *     rtsp.freeze(); // like a hung camera (SIGSTOP): connections stay open, nothing is sent
 *     rtsp.kill(); rtsp.start();  // bring a frozen server back (see freeze())
 * }
 * }</pre>
 *
 * <p>Requirements: Debian packages {@value #DEBIAN_PACKAGES} (the lead's {@code ./vap setup} installs them).
 * When they are missing, {@link #start()} throws an {@link IllegalStateException} naming the packages;
 * {@link #unavailableReason()} tells beforehand. Non-H.264 files need {@link Builder#transcode(boolean)}.
 *
 * <p>The process is stopped by {@link #close()} and, should the JVM end first, by a shutdown hook.
 * <p>Over 300 lines because the child process, its readiness handshake and the fault injection (kill, freeze, thaw) share one process handle.
 */
public final class LocalRtspServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalRtspServer.class);
    /** What {@code apt-get install} needs for the server. */
    public static final String DEBIAN_PACKAGES = "python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp "
            + "gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav";
    /** Debian's interpreter: the gi bindings are not visible to other Pythons (pyenv, venvs). */
    public static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT_RESOURCE = "vap/playout/rtsp_server.py";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    /** Configures a server; {@link #start()} launches it. */
    public static final class Builder {
        private final Map<String, Path> mounts = new LinkedHashMap<>();
        private String address = "127.0.0.1";
        private int port;
        private boolean transcode;
        private String user;
        private String password;

        /** Serves {@code file} at {@code name} (e.g. "/lobby"); repeat for more cameras. */
        public Builder mount(String name, Path file) {
            String n = name.startsWith("/") ? name : "/" + name;
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such video file: " + file.toAbsolutePath());
            }
            mounts.put(n, file.toAbsolutePath());
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one, kept across {@link #kill()}/{@link #start()}. */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /** The address to listen on (default 127.0.0.1; "0.0.0.0" for other machines). */
        public Builder address(String a) {
            this.address = a;
            return this;
        }

        /** Re-encode to H.264 (x264) instead of sending the file's own H.264; needed for other codecs. */
        public Builder transcode(boolean t) {
            this.transcode = t;
            return this;
        }

        /** Require HTTP Basic credentials from clients, like a camera with a password. */
        public Builder credentials(String u, String p) {
            this.user = u;
            this.password = p;
            return this;
        }

        /** Starts the server and returns once it accepts RTSP clients. */
        public LocalRtspServer start() {
            if (mounts.isEmpty()) {
                throw new IllegalArgumentException("LocalRtspServer needs at least one mount");
            }
            LocalRtspServer s = new LocalRtspServer(this);
            s.start();
            return s;
        }
    }

    private final Map<String, Path> mounts;
    private final String address;
    private final boolean transcode;
    private final String user;
    private final String password;
    private int port;
    private Process process;
    private Thread shutdownHook;
    private final Deque<String> stderrTail = new ArrayDeque<>();

    private LocalRtspServer(Builder b) {
        this.mounts = Map.copyOf(b.mounts);
        this.address = b.address;
        this.port = b.port;
        this.transcode = b.transcode;
        this.user = b.user;
        this.password = b.password;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Why a server cannot run on this machine (missing interpreter or packages), or empty if it can. */
    public static Optional<String> unavailableReason() {
        if (!Files.isExecutable(PYTHON)) {
            return Optional.of(missing(PYTHON + " does not exist"));
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c",
                    "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.of(missing("GStreamer's RTSP server bindings do not load: " + lastLine(out)));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(missing("cannot run " + PYTHON + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking for " + PYTHON);
        }
    }

    /**
     * (Re)starts the server process on the same port and mounts, e.g. after {@link #kill()}. Returns once it
     * accepts clients; throws {@link IllegalStateException} with the reason (missing packages, port taken).
     */
    public synchronized LocalRtspServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-u", script().toString(),
                "--address", address, "--port", Integer.toString(port)));
        mounts.forEach((name, file) -> {
            cmd.add("--mount");
            cmd.add(name + "=" + file);
        });
        if (transcode) {
            cmd.add("--transcode");
        }
        if (user != null) {
            cmd.add("--user");
            cmd.add(user);
            cmd.add("--password");
            cmd.add(password == null ? "" : password);
        }
        if (!Files.isExecutable(PYTHON)) {
            throw new IllegalStateException(missing(PYTHON + " does not exist"));
        }
        try {
            process = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new IllegalStateException(missing("cannot run " + PYTHON + ": " + e.getMessage()), e);
        }
        Process p = process;
        Thread drain = new Thread(() -> drainStderr(p), "rtsp-server-stderr");
        drain.setDaemon(true);
        drain.start();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readyLine(p));
        String line;
        try {
            line = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            line = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            line = null;
        }
        if (line == null) {
            p.destroyForcibly();
            awaitExit(p);
            String err = stderrText();
            if (err.contains("bindings are missing") || err.contains("element") && err.contains("missing")) {
                throw new IllegalStateException(missing(lastLine(err)));
            }
            throw new IllegalStateException("the RTSP playout server did not start (exit " + exitCode(p) + "): "
                    + (err.isBlank() ? "no output" : err));
        }
        port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::destroyNow, "rtsp-server-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        log.info("RTSP playout server on rtsp://{}:{} serving {}", address, port, mounts.keySet());
        return this;
    }

    /** The port the server listens on. */
    public int port() {
        return port;
    }

    /** {@code rtsp://<address>:<port><mount>}, without credentials. */
    public String url(String mount) {
        String m = mount.startsWith("/") ? mount : "/" + mount;
        if (!mounts.containsKey(m)) {
            throw new IllegalArgumentException("no mount " + m + " (mounts: " + mounts.keySet() + ")");
        }
        return "rtsp://" + ("0.0.0.0".equals(address) ? "127.0.0.1" : address) + ":" + port + m;
    }

    /** {@link #url(String)} with the configured credentials in its user-info. */
    public String urlWithCredentials(String mount) {
        String u = url(mount);
        if (user == null) {
            return u;
        }
        return "rtsp://" + enc(user) + ":" + enc(password == null ? "" : password) + "@" + u.substring("rtsp://".length());
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Ends the process with SIGKILL, as a camera losing power would: no RTSP teardown reaches the clients. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(process);
        }
    }

    /**
     * Suspends the process (SIGSTOP): connections stay open but no packet is sent, as from a camera that hung
     * or a network that silently drops traffic. Clients only notice through their timeouts. {@link #thaw()}
     * resumes it, but gst-rtsp-server does not reliably serve new clients after a freeze of a few seconds (nor
     * does ffmpeg's CLI get a stream from it): to bring a frozen camera back, {@link #kill()} and {@link #start()}.
     */
    public synchronized void freeze() {
        signal("STOP");
    }

    /** Resumes a process suspended by {@link #freeze()} (SIGCONT). */
    public synchronized void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("the RTSP playout server is not running");
        }
        try {
            Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (k.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal the RTSP playout server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the process gracefully (SIGTERM). */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            try {
                signal("CONT"); // a frozen process cannot act on SIGTERM
            } catch (RuntimeException e) {
                // Not frozen or already gone: SIGTERM below still applies.
            }
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    awaitExit(process);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook is running or ran.
            }
            shutdownHook = null;
        }
    }

    private void destroyNow() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private static String readyLine(Process p) {
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    // Keep reading stdout so the child never blocks on a full pipe.
                    Thread t = new Thread(() -> {
                        try {
                            r.transferTo(java.io.Writer.nullWriter());
                        } catch (IOException ignored) {
                            // The process ended.
                        }
                    }, "rtsp-server-stdout");
                    t.setDaemon(true);
                    t.start();
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private void drainStderr(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > 40) {
                        stderrTail.removeFirst();
                    }
                }
                log.debug("rtsp_server.py: {}", line);
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    private String stderrText() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    private static Path script() {
        try (InputStream in = LocalRtspServer.class.getClassLoader().getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT_RESOURCE + " is missing from the classpath (vap-playout jar)");
            }
            Path f = Files.createTempFile("vap-rtsp-server", ".py");
            f.toFile().deleteOnExit();
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + SCRIPT_RESOURCE, e);
        }
    }

    private static void awaitExit(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String exitCode(Process p) {
        return p.isAlive() ? "none" : Integer.toString(p.exitValue());
    }

    private static String missing(String what) {
        return "the RTSP playout server cannot run: " + what + ". It needs Debian's /usr/bin/python3 with: apt-get install "
                + DEBIAN_PACKAGES;
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 ? s : lines[lines.length - 1];
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
