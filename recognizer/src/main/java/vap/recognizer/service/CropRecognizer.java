package vap.recognizer.service;

import org.bytedeco.opencv.opencv_core.Mat;
import vap.core.serde.ByteBuffers;
import vap.core.worker.BatchProcessor;
import vap.core.worker.Incoming;
import vap.core.worker.Outbox;
import vap.vision.image.ImageDecodeException;
import vap.vision.image.ImageDecoder;
import vap.messages.CropLocation;
import vap.messages.FaceCrop;
import vap.messages.Match;
import vap.messages.Sighting;
import vap.recognizer.FaceAnalyzer;
import vap.recognizer.FaceAnalyzer.FaceAnalysis;
import vap.recognizer.watchlist.Candidate;
import vap.recognizer.watchlist.Watchlist;
import vap.recognizer.watchlist.WatchlistConfig;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of face crops: decode both crops of every face (an undecodable one is dead-lettered alone),
 * embed, estimate ages and search the watchlist for the whole batch at once, then emit a Sighting per face
 * (key cameraId) and a Match (key identityId) when the best candidate passes the threshold.
 */
public final class CropRecognizer implements BatchProcessor<FaceCrop> {
    private final FaceAnalyzer analyzer;
    private final Watchlist watchlist;
    private final String sightingsTopic;
    private final String matchesTopic;
    private final Clock clock;

    public CropRecognizer(FaceAnalyzer analyzer, Watchlist watchlist, String sightingsTopic, String matchesTopic, Clock clock) {
        this.analyzer = analyzer;
        this.watchlist = watchlist;
        this.sightingsTopic = sightingsTopic;
        this.matchesTopic = matchesTopic;
        this.clock = clock;
    }

    @Override
    public void process(List<Incoming<FaceCrop>> batch, Outbox out) {
        List<Incoming<FaceCrop>> faces = new ArrayList<>(batch.size());
        List<Mat> aligned = new ArrayList<>(batch.size());
        List<Mat> ageCrops = new ArrayList<>(batch.size());
        try {
            for (Incoming<FaceCrop> in : batch) {
                Mat a = null;
                try {
                    String where = in.topic() + "[" + in.partition() + "]@" + in.offset();
                    a = ImageDecoder.decode(ByteBuffers.copyOf(in.value().getAlignedCrop()), where + " aligned crop");
                    Mat g = ImageDecoder.decode(ByteBuffers.copyOf(in.value().getAgeCrop()), where + " age crop");
                    faces.add(in);
                    aligned.add(a);
                    ageCrops.add(g);
                } catch (ImageDecodeException e) {
                    if (a != null) {
                        a.close();
                    }
                    out.deadLetter(in, e);
                }
            }
            if (faces.isEmpty()) {
                return;
            }
            List<FaceAnalysis> results = analyzer.analyze(aligned, ageCrops, watchlist);
            Instant now = clock.instant();
            for (int i = 0; i < faces.size(); i++) {
                emit(faces.get(i), results.get(i), now, out);
            }
        } finally {
            aligned.forEach(Mat::close);
            ageCrops.forEach(Mat::close);
        }
    }

    private void emit(Incoming<FaceCrop> in, FaceAnalysis face, Instant now, Outbox out) {
        FaceCrop crop = in.value();
        WatchlistConfig config = watchlist.config();
        CropLocation location = CropLocation.newBuilder().setTopic(in.topic()).setPartition(in.partition())
                .setOffset(in.offset()).build();
        List<vap.messages.Candidate> candidates = new ArrayList<>(face.candidates().size());
        for (Candidate c : face.candidates()) {
            candidates.add(vap.messages.Candidate.newBuilder().setIdentityId(c.identity().identityId())
                    .setDisplayName(c.identity().displayName()).setWatchlist(c.identity().watchlist())
                    .setScore(c.score()).build());
        }
        List<Float> embedding = new ArrayList<>(face.embedding().length);
        for (float x : face.embedding()) {
            embedding.add(x);
        }
        Sighting sighting = Sighting.newBuilder().setFrame(crop.getFrame()).setFaceIndex(crop.getFaceIndex())
                .setBox(crop.getBox()).setDetectionScore(crop.getScore()).setEmbedding(embedding).setAge(face.age())
                .setMetric(config.metric().name()).setCandidates(candidates).setMatched(face.matched())
                .setCrop(location).setRecognizedTimestamp(now).build();
        out.send(sightingsTopic, crop.getFrame().getCameraId(), sighting);
        if (face.matched()) {
            Candidate best = face.candidates().get(0);
            Match match = Match.newBuilder().setFrame(crop.getFrame()).setFaceIndex(crop.getFaceIndex())
                    .setBox(crop.getBox()).setIdentityId(best.identity().identityId())
                    .setDisplayName(best.identity().displayName()).setWatchlist(best.identity().watchlist())
                    .setMetric(config.metric().name()).setScore(best.score()).setThreshold(best.threshold())
                    .setAge(face.age()).setCrop(location).setRecognizedTimestamp(now).build();
            out.send(matchesTopic, best.identity().identityId(), match);
        }
    }
}
