package vap.console.web;

import io.javalin.http.sse.SseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.console.alerts.LiveAlert;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Hands each new alert to every open event stream without letting one browser hold up the others: each client has
 * its own bounded queue drained by its own sender thread (an SSE write blocks while that browser does not read), and
 * a client whose queue is full has fallen behind: it is disconnected (its browser's EventSource reconnects and
 * reloads the page's recent alerts) and counted in {@link #droppedClients()}.
 */
public final class AlertStreams implements Consumer<LiveAlert>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertStreams.class);

    /** One server-sent event as a client's renderer makes it. */
    public record Event(String name, String data, String id) {
    }

    /** Alerts a browser may be behind before it is disconnected: far more than a burst of alerts in one poll. */
    public static final int QUEUE_CAPACITY = 256;

    private final int queueCapacity;
    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();

    public AlertStreams(int queueCapacity) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("an alert stream's queue holds at least 1 alert, not " + queueCapacity);
        }
        this.queueCapacity = queueCapacity;
    }

    /** Starts sending to {@code client} (an SSE handler calls this; the client is kept alive until it closes). */
    public void attach(SseClient client, Function<LiveAlert, Event> render) {
        client.keepAlive();
        Stream s = new Stream(client, render, new ArrayBlockingQueue<>(queueCapacity));
        streams.add(s);
        client.onClose(() -> {
            s.clientGone = true; // its response is recycled: closing it again would fail
            s.stop(false);
        });
        s.sender.start();
    }

    /** Called by the alert feed's thread: never blocks. */
    @Override
    public void accept(LiveAlert alert) {
        for (Stream s : streams) {
            if (!s.queue.offer(alert)) {
                s.stop(true);
            }
        }
    }

    /** Clients disconnected because they fell {@code queueCapacity} alerts behind, since start. */
    public long droppedClients() {
        return dropped.get();
    }

    /** Streams open now. */
    public int clients() {
        return streams.size();
    }

    /** Ends every stream; call before the web server stops, while the responses can still be closed. */
    @Override
    public void close() {
        for (Stream s : streams) {
            s.stop(false);
            try {
                s.sender.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Stream {
        final SseClient client;
        final Function<LiveAlert, Event> render;
        final BlockingQueue<LiveAlert> queue;
        final Thread sender;
        private boolean stopped;
        volatile boolean clientGone;

        Stream(SseClient client, Function<LiveAlert, Event> render, BlockingQueue<LiveAlert> queue) {
            this.client = client;
            this.render = render;
            this.queue = queue;
            this.sender = new Thread(this::send, "console-sse-" + opened.incrementAndGet());
            sender.setDaemon(true);
        }

        private void send() {
            try {
                while (!Thread.currentThread().isInterrupted() && !client.terminated()) {
                    Event e = render.apply(queue.take());
                    client.sendEvent(e.name(), e.data(), e.id());
                }
            } catch (InterruptedException e) {
                // stopped: fell behind, or the console is closing
            } catch (RuntimeException e) {
                log.debug("console: an alert stream ended: {}", e.toString());
            } finally {
                stop(false);
                if (!clientGone) {
                    client.close();
                }
            }
        }

        /** Idempotent; {@code behind} when the client could not keep up (counted, logged). */
        synchronized void stop(boolean behind) {
            if (stopped) {
                return;
            }
            stopped = true;
            streams.remove(this);
            queue.clear();
            if (behind) {
                dropped.incrementAndGet();
                log.warn("console: an alert stream fell {} alerts behind (a browser that does not read): disconnected",
                        queueCapacity);
            }
            sender.interrupt();
        }
    }
}
