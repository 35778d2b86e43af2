package vap.recognizer.service;

import vap.messages.Appearance;
import vap.messages.CropLocation;
import vap.messages.FaceCrop;
import vap.messages.Match;
import vap.messages.Sighting;
import vap.recognizer.FaceAnalyzer.FaceAnalysis;
import vap.recognizer.track.Decision;
import vap.recognizer.track.Track;
import vap.recognizer.track.TrackBook;
import vap.recognizer.watchlist.Candidate;
import vap.recognizer.watchlist.Identity;
import vap.recognizer.watchlist.WatchlistConfig;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The recognizer's output records, built from a crop, its analysis and its track. */
final class RecognitionMessages {
    private RecognitionMessages() {
    }

    /** One embedded crop: its own embedding and candidates; {@code matched} when its own best candidate passes. */
    static Sighting sighting(FaceCrop crop, CropLocation location, FaceAnalysis face, WatchlistConfig config, Instant now) {
        List<vap.messages.Candidate> candidates = new ArrayList<>(face.candidates().size());
        for (Candidate c : face.candidates()) {
            candidates.add(vap.messages.Candidate.newBuilder().setIdentityId(c.identity().identityId())
                    .setDisplayName(c.identity().displayName()).setWatchlist(c.identity().watchlist())
                    .setScore(c.score()).build());
        }
        return Sighting.newBuilder().setFrame(crop.getFrame()).setFaceIndex(crop.getFaceIndex())
                .setBox(crop.getBox()).setDetectionScore(crop.getScore()).setEmbedding(floats(face.embedding()))
                .setAge(face.age()).setMetric(config.metric().name()).setCandidates(candidates)
                .setMatched(face.matched()).setCrop(location).setRecognizedTimestamp(now)
                .setTrackId(crop.getTrackId()).setQuality(TrackBook.qualityOf(crop)).build();
    }

    /** The track's confident decision, reported at the crop that completed it (so the alert is not delayed). */
    static Match match(FaceCrop crop, CropLocation location, Track track, WatchlistConfig config, Instant now) {
        Decision d = track.decision();
        Identity who = d.identity();
        return Match.newBuilder().setFrame(crop.getFrame()).setFaceIndex(crop.getFaceIndex()).setBox(crop.getBox())
                .setIdentityId(who.identityId()).setDisplayName(who.displayName()).setWatchlist(who.watchlist())
                .setMetric(config.metric().name()).setScore(d.score()).setThreshold(d.threshold())
                .setAge(d.age()).setCrop(location).setRecognizedTimestamp(now).setTrackId(crop.getTrackId())
                .setBestShotJpeg(track.bestShot().jpeg().duplicate()).build();
    }

    /** A track: identity is the last one published for it (decisions are sticky), else unknown. */
    static Appearance appearance(Track track, boolean closed, WatchlistConfig config, Instant now) {
        Decision d = track.decision();
        Track.BestShot best = track.bestShot();
        Identity who = track.publishedIdentity();
        return Appearance.newBuilder().setTrackId(track.trackId()).setCameraId(track.cameraId())
                .setFirstSeenTimestamp(track.firstSeen()).setLastSeenTimestamp(track.lastSeen())
                .setFaces(track.faces()).setEmbeddedFaces(track.embeddedFaces())
                .setBestShot(best.frame()).setBestShotFaceIndex(best.faceIndex()).setBestShotBox(best.box())
                .setBestShotCrop(best.crop()).setBestShotJpeg(best.jpeg().duplicate()).setBestQuality(best.quality())
                .setIdentityId(who == null ? null : who.identityId())
                .setDisplayName(who == null ? null : who.displayName())
                .setWatchlist(who == null ? null : who.watchlist())
                .setMetric(config.metric().name()).setScore(d.score()).setThreshold(d.threshold())
                .setAge(d.age()).setEmbedding(floats(d.embedding())).setClosed(closed).setPublishedTimestamp(now)
                .build();
    }

    private static List<Float> floats(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float x : v) {
            out.add(x);
        }
        return out;
    }
}
