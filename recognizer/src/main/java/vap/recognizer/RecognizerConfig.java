package vap.recognizer;

import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.recognizer.track.TrackPolicy;

import java.time.Duration;

/**
 * The recognizer service's settings (keys {@code recognizer.*}; the watchlist's are in WatchlistConfig).
 *
 * @param device         cpu, gpu or gpu:N for the embedding and age networks
 * @param batchSize      face crops taken from Kafka per batch (max.poll.records)
 * @param modelBatch     faces per forward pass of each network
 * @param threads        worker threads (each its own consumer and its own copy of the networks)
 * @param groupId        consumer group of the recognizer replicas
 * @param faissThreads   OpenMP threads FAISS may use per search call (0: FAISS's default, one per core)
 * @param intraOpThreads PyTorch threads per forward pass (0: one per core); workers x this should not exceed the cores
 * @param galleryTimeout how long start-up waits for the watchlist to catch up with the gallery topic
 * @param track          per-track recognition ({@code recognizer.track.*}), validated by TrackPolicy
 */
public record RecognizerConfig(String device, int batchSize, int modelBatch, int threads, String groupId,
                               int faissThreads, int intraOpThreads, Duration galleryTimeout, TrackPolicy track) {
    public RecognizerConfig {
        if (batchSize < 1 || modelBatch < 1 || threads < 1) {
            throw new ConfigException("recognizer.batch.size, recognizer.model.batch and recognizer.threads must be "
                    + "at least 1 (got " + batchSize + ", " + modelBatch + ", " + threads + ")");
        }
        if (faissThreads < 0) {
            throw new ConfigException("recognizer.faiss.threads must be 0 (default) or more, got " + faissThreads);
        }
        if (intraOpThreads < 0) {
            throw new ConfigException("recognizer.intraop.threads must be 0 (one per core) or more, got "
                    + intraOpThreads);
        }
        if (track == null) {
            throw new ConfigException("recognizer.track.* settings missing");
        }
    }

    public static RecognizerConfig from(Settings settings) {
        Settings s = settings.renamed("recognizer.group", "recognizer.group.id");
        TrackPolicy d = TrackPolicy.defaults();
        TrackPolicy track = new TrackPolicy(s.integer("recognizer.track.max.embeddings", d.maxEmbeddings()),
                s.duration("recognizer.track.reembed.interval", d.reembedInterval()),
                s.integer("recognizer.track.min.faces", d.minFaces()),
                s.duration("recognizer.track.close.after", d.closeAfter()),
                s.duration("recognizer.track.idle.close.after", d.idleCloseAfter()),
                (float) s.number("recognizer.track.same.person", d.samePerson()),
                s.duration("recognizer.track.update.interval", d.updateInterval()),
                (float) s.number("recognizer.track.better.by", d.betterBy()),
                (float) s.number("recognizer.track.unnamed.margin", d.unnamedMargin()));
        return new RecognizerConfig(s.string("recognizer.device", "cpu"), s.integer("recognizer.batch.size", 32),
                s.integer("recognizer.model.batch", 16), s.integer("recognizer.threads", 1),
                s.string("recognizer.group.id", "vap-recognizer"), s.integer("recognizer.faiss.threads", 0),
                s.integer("recognizer.intraop.threads", 1),
                s.duration("recognizer.gallery.timeout", Duration.ofMinutes(5)), track);
    }
}
