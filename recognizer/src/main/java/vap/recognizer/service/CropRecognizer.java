package vap.recognizer.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.serde.ByteBuffers;
import vap.core.worker.BatchProcessor;
import vap.core.worker.Incoming;
import vap.core.worker.Outbox;
import vap.messages.CropLocation;
import vap.messages.FaceCrop;
import vap.recognizer.FaceAnalyzer;
import vap.recognizer.FaceAnalyzer.FaceAnalysis;
import vap.recognizer.track.Decision;
import vap.recognizer.track.EmbedReason;
import vap.recognizer.track.Evidence;
import vap.recognizer.track.Fusion;
import vap.recognizer.track.Track;
import vap.recognizer.track.TrackBook;
import vap.recognizer.watchlist.Candidate;
import vap.recognizer.watchlist.Watchlist;
import vap.recognizer.watchlist.WatchlistConfig;
import vap.vision.image.ImageDecodeException;
import vap.vision.image.ImageDecoder;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One batch of face crops, recognised per track: every crop is counted in its track, only the crops that
 * improve the track's evidence are decoded, embedded, aged and searched (one batched pass); each embedded crop
 * is a Sighting; a track with enough crops is decided on its fused embedding and publishes a Match when the
 * decision is confident and new (first time, or another identity); a track that closed becomes an Appearance,
 * and an open one publishes an update (closed = false) every {@code recognizer.track.update.interval} of capture
 * time and when its identity changes.
 * The track state is checkpointed per batch, so a failed or unacknowledged batch is replayed from the same state.
 */
public final class CropRecognizer implements BatchProcessor<FaceCrop> {
    private static final Logger log = LoggerFactory.getLogger(CropRecognizer.class);

    private final FaceAnalyzer analyzer;
    private final Watchlist watchlist;
    private final TrackBook tracks;
    private final Topics topics;
    private final Clock clock;
    private final Map<EmbedReason, Counter> embeddings = new EnumMap<>(EmbedReason.class);

    /** Where the outputs go. */
    public record Topics(String sightings, String matches, String appearances) {
    }

    /** An admitted crop: decoded, waiting for its analysis. */
    private record Admitted(Incoming<FaceCrop> in, CropLocation location, Track track, EmbedReason reason) {
    }

    /** Counts embeddings in {@code vap.recognizer.track.embeddings{reason}} (a replayed batch counts again). */
    public CropRecognizer(FaceAnalyzer analyzer, Watchlist watchlist, TrackBook tracks, Topics topics, Clock clock,
                          MeterRegistry metrics) {
        this.analyzer = analyzer;
        this.watchlist = watchlist;
        this.tracks = tracks;
        this.topics = topics;
        this.clock = clock;
        for (EmbedReason r : EmbedReason.values()) {
            embeddings.put(r, metrics.counter("vap.recognizer.track.embeddings", "reason", r.tag()));
        }
    }

    @Override
    public void process(List<Incoming<FaceCrop>> batch, Outbox out) {
        tracks.checkpoint();
        try {
            recognise(batch, out);
        } catch (RuntimeException e) {
            tracks.restore();
            throw e;
        }
    }

    @Override
    public void idle(Outbox out) {
        tracks.checkpoint();
        Instant now = clock.instant();
        closeDue(out, now.toEpochMilli(), now);
    }

    /**
     * Stopping cleanly: every open track is published as it stands (closed = false), so a track that ended just
     * before the stop still has its appearance; a recognizer that goes on with the track later publishes a newer one.
     */
    @Override
    public void closing(Outbox out) {
        publish(tracks.closeAll(), false, out, clock.instant());
    }

    @Override
    public void discarded() {
        tracks.restore();
    }

    public TrackBook tracks() {
        return tracks;
    }

    private void recognise(List<Incoming<FaceCrop>> batch, Outbox out) {
        long wall = clock.millis();
        List<Admitted> admitted = new ArrayList<>();
        List<Mat> aligned = new ArrayList<>();
        List<Mat> ageCrops = new ArrayList<>();
        try {
            for (Incoming<FaceCrop> in : batch) {
                FaceCrop crop = in.value();
                CropLocation location = CropLocation.newBuilder().setTopic(in.topic()).setPartition(in.partition())
                        .setOffset(in.offset()).build();
                Mat a = null;
                try {
                    String where = in.topic() + "[" + in.partition() + "]@" + in.offset();
                    // Decoding first: an undecodable crop is dead-lettered alone and never counted in a track.
                    a = ImageDecoder.decode(ByteBuffers.copyOf(crop.getAlignedCrop()), where + " aligned crop");
                    Track track = tracks.observe(crop, location, wall);
                    EmbedReason reason = tracks.admit(track, crop);
                    if (reason == null) {
                        a.close();
                        continue;
                    }
                    Mat g = ImageDecoder.decode(ByteBuffers.copyOf(crop.getAgeCrop()), where + " age crop");
                    admitted.add(new Admitted(in, location, track, reason));
                    aligned.add(a);
                    ageCrops.add(g);
                } catch (ImageDecodeException e) {
                    if (a != null) {
                        a.close();
                    }
                    out.deadLetter(in, e);
                }
            }
            Instant now = clock.instant();
            if (!admitted.isEmpty()) {
                List<FaceAnalysis> results = analyzer.analyze(aligned, ageCrops, watchlist);
                decideAndEmit(admitted, results, now, out);
            }
            closeDue(out, wall, now); // by the batch's arrival time: a slow batch closes nothing it just received
            publish(tracks.updatesDue(), false, out, now); // open tracks: what they show so far (closed = false)
        } finally {
            aligned.forEach(Mat::close);
            ageCrops.forEach(Mat::close);
        }
    }

    /** A ready track's evidence right after one of its crops was kept: decided there, in crop order. */
    private record Pending(Admitted at, List<Evidence> kept, float[] fused) {
    }

    private void decideAndEmit(List<Admitted> admitted, List<FaceAnalysis> results, Instant now, Outbox out) {
        WatchlistConfig config = watchlist.config();
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < admitted.size(); i++) {
            Admitted a = admitted.get(i);
            FaceAnalysis face = results.get(i);
            FaceCrop crop = a.in().value();
            embeddings.get(a.reason()).increment();
            String best = face.candidates().isEmpty() ? null : face.candidates().get(0).identity().identityId();
            tracks.keep(a.track(), new Evidence(face.embedding(), TrackBook.qualityOf(crop), face.age(), best,
                    crop.getFrame().getCaptureTimestamp().toEpochMilli()));
            out.send(topics.sightings(), crop.getFrame().getCameraId(),
                    RecognitionMessages.sighting(crop, a.location(), face, config, now));
            if (a.track().readyToDecide()) {
                List<Evidence> kept = a.track().kept();
                pending.add(new Pending(a, kept, Fusion.fuse(kept)));
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        // Decisions apply in crop order, so a Match comes from the first crop that made the track confident.
        // Each is searched with the threshold for its number of fused faces (the calibrated one tightens with
        // fewer faces and a larger watchlist).
        for (Pending p : pending) {
            Track track = p.at().track();
            Decision d = decision(track.minFaces(), p.kept(), p.fused(), fusedSearch(p.fused(), p.kept().size()));
            tracks.decide(track, d);
            log.debug("track {} decided on {} kept: {} score {} threshold {} (crop {})", track.trackId(), p.kept().size(),
                    d.best() == null ? "-" : d.best().displayName(), d.score(), d.threshold(), p.at().reason().tag());
            boolean changed = track.publishedIdentity() == null
                    || !track.publishedIdentity().identityId().equals(d.identity() == null ? null : d.identity().identityId());
            if (d.confident() && changed) {
                tracks.published(track, d.identity());
                out.send(topics.matches(), d.identity().identityId(),
                        RecognitionMessages.match(p.at().in().value(), p.at().location(), track, config, now));
            }
        }
    }

    private List<Candidate> fusedSearch(float[] fused, int faces) {
        return watchlist.search(List.of(fused), Math.max(1, faces)).get(0);
    }

    /** Confident when the fused embedding's best candidate passes and enough kept crops have it as their own best. */
    private Decision decision(int minFaces, List<Evidence> kept, float[] fused, List<Candidate> candidates) {
        float age = Fusion.age(kept);
        if (candidates.isEmpty()) {
            return new Decision(null, null, Float.NaN, watchlist.threshold(Math.max(1, kept.size())), fused, age);
        }
        Candidate best = candidates.get(0);
        String id = best.identity().identityId();
        long agreeing = kept.stream().filter(e -> id.equals(e.bestIdentityId())).count();
        boolean confident = best.passes() && agreeing >= minFaces;
        return new Decision(confident ? best.identity() : null, best.identity(), best.score(), best.threshold(),
                fused, age, Decision.shortfall(watchlist.config().metric(), best.score(), best.threshold()));
    }

    /** Closed tracks become Appearances; one closed before it had enough crops is decided on what it has. */
    private void closeDue(Outbox out, long wallMillis, Instant now) {
        publish(tracks.closeDue(wallMillis), true, out, now);
    }

    /** Tracks as Appearances (closed or an open track's update); one not yet decided is decided on what it has. */
    private void publish(List<Track> closed, boolean isClosed, Outbox out, Instant now) {
        List<Track> undecided = closed.stream().filter(t -> t.decision() == null && !t.kept().isEmpty()).toList();
        if (!undecided.isEmpty()) {
            List<float[]> fused = undecided.stream().map(t -> Fusion.fuse(t.kept())).toList();
            for (int i = 0; i < undecided.size(); i++) {
                Track t = undecided.get(i);
                tracks.decide(t, decision(t.minFaces(), t.kept(), fused.get(i), fusedSearch(fused.get(i), t.kept().size())));
            }
        }
        WatchlistConfig config = watchlist.config();
        for (Track t : closed) {
            if (isClosed && t.decision() != null && log.isDebugEnabled()) {
                log.debug("track {} closed: {} faces, embedded {} (first {}, interval {}, unnamed-better {}, better {}),"
                                + " {} score {} threshold {}", t.trackId(), t.faces(), t.embeddedFaces(),
                        t.embeds(EmbedReason.FIRST), t.embeds(EmbedReason.INTERVAL), t.embeds(EmbedReason.UNNAMED_BETTER),
                        t.embeds(EmbedReason.BETTER), t.publishedIdentity() == null ? "unknown" : t.publishedIdentity().displayName(),
                        t.decision().score(), t.decision().threshold());
            }
            if (t.decision() != null) {
                out.send(topics.appearances(), t.cameraId(), RecognitionMessages.appearance(t, isClosed, config, now));
            }
        }
    }
}
