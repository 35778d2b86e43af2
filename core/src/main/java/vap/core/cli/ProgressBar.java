package vap.core.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar for long folder jobs on a terminal ("[=====>    ] 42/100 faces.jpg 3.1/s"),
 * redrawn at most 10 times a second; on a non-terminal it prints a line every 10%.
 */
public final class ProgressBar implements AutoCloseable {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long done;
    private long lastDraw;
    private int lastDecile = -1;

    public ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.terminal = System.console() != null;
    }

    public synchronized void step(String item) {
        done++;
        long now = System.nanoTime();
        double rate = done / Math.max(1e-9, (now - startNanos) / 1e9);
        if (terminal) {
            if (now - lastDraw < 100_000_000L && done < total) {
                return;
            }
            lastDraw = now;
            int width = 30;
            int filled = total == 0 ? width : (int) (width * done / total);
            String bar = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "") + " ".repeat(width - filled);
            String name = item == null ? "" : item.length() > 40 ? "..." + item.substring(item.length() - 37) : item;
            out.printf("\r%s [%s] %d/%d %s %.1f/s   ", label, bar, done, total, name, rate);
            out.flush();
        } else {
            int decile = total == 0 ? 10 : (int) (10 * done / total);
            if (decile != lastDecile) {
                lastDecile = decile;
                out.printf("%s: %d/%d (%.1f/s)%n", label, done, total, rate);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (terminal) {
            out.println();
        }
    }
}
