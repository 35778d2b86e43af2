package vap.detector.track;

import java.time.Instant;

/**
 * Which track a detected face was given, as published on its FaceCrop.
 *
 * @param trackId    unique across cameras, detector replicas and restarts
 * @param hits       frames in which the track was seen so far, this one included
 * @param firstSeen  capture time of the track's first face
 * @param confirmed  whether the track has reached {@code detector.track.confirm.hits}
 */
public record TrackAssignment(String trackId, int hits, Instant firstSeen, boolean confirmed) {
}
