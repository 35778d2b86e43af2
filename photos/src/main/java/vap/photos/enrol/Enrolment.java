package vap.photos.enrol;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What happened to one identity: the photos whose face was enrolled, and the rejected ones with the reason.
 * {@link #enrolled()} is false when no photo was usable: nothing was published for it.
 */
public record Enrolment(String identityId, List<Path> accepted, Map<Path, String> rejected) {
    public boolean enrolled() {
        return !accepted.isEmpty();
    }
}
