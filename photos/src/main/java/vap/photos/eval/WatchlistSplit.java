package vap.photos.eval;

import vap.recognizer.embed.Embeddings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The deterministic 1:N protocol on a labelled folder. People with more than k photos are taken in name order and
 * every other one (the 1st, 3rd, ...) is enrolled from their first k photos (by name); their other photos are the
 * mated probes. Everyone else (the 2nd, 4th, ... and people with k photos or fewer) are strangers: all their
 * photos are non-mated probes. Probes are searched singly (n = 1) or fused in groups of n consecutive photos of
 * one person in which a face was found (the mean of their unit embeddings, as a track fuses its crops); a
 * person's last group smaller than n is left out. An enrolment photo without a face is skipped; a person with
 * no usable enrolment photo is not enrolled, and their probes become non-mated.
 */
public final class WatchlistSplit {
    /** The gallery, the probes, and what could not be used. */
    public record Split(List<Identification.Template> gallery, List<Identification.Probe> probes,
                        List<String> enrolmentPhotosWithoutFace, List<String> notEnrolled) {
    }

    private WatchlistSplit() {
    }

    /** {@code people}: person -> photo keys in name order; {@code embedding}: key -> unit embedding or null. */
    public static Split split(Map<String, List<String>> people, int k, int groupSize, Function<String, float[]> embedding) {
        if (k < 1 || groupSize < 1) {
            throw new IllegalArgumentException("enrolment photos and group size must be at least 1");
        }
        List<Identification.Template> gallery = new ArrayList<>();
        List<Identification.Probe> probes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> notEnrolled = new ArrayList<>();
        int eligible = 0;
        for (Map.Entry<String, List<String>> person : people.entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            List<String> photos = person.getValue();
            boolean enrol = photos.size() > k && eligible++ % 2 == 0;
            List<String> probePhotos = photos;
            boolean mated = false;
            if (enrol) {
                List<float[]> enrolled = new ArrayList<>();
                for (String p : photos.subList(0, k)) {
                    float[] e = embedding.apply(p);
                    if (e == null) {
                        skipped.add(p);
                    } else {
                        enrolled.add(e);
                    }
                }
                probePhotos = photos.subList(k, photos.size());
                if (enrolled.isEmpty()) {
                    notEnrolled.add(person.getKey());
                } else {
                    gallery.add(new Identification.Template(person.getKey(), enrolled));
                    mated = true;
                }
            }
            addProbes(person.getKey(), mated, probePhotos, groupSize, embedding, probes);
        }
        return new Split(gallery, probes, skipped, notEnrolled);
    }

    private static void addProbes(String person, boolean mated, List<String> photos, int n,
                                  Function<String, float[]> embedding, List<Identification.Probe> out) {
        if (n == 1) {
            photos.forEach(p -> out.add(new Identification.Probe(person, mated, embedding.apply(p))));
            return;
        }
        List<float[]> found = photos.stream().map(embedding).filter(e -> e != null).toList();
        for (int from = 0; from + n <= found.size(); from += n) {
            out.add(new Identification.Probe(person, mated, Embeddings.meanOf(found.subList(from, from + n))));
        }
    }
}
