package vap.photos.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.TopicAdmin;
import vap.core.kafka.Topics;
import vap.core.cli.ProgressBar;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.photos.enrol.Enroller;
import vap.photos.enrol.Enrolment;
import vap.photos.enrol.FaceChoice;

import java.nio.file.Path;
import java.util.List;

/** {@code vap enroll}: one person from photos, or a folder of people, published to the gallery topic. */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = {"Enrol people into the watchlist: their photos' face embeddings are published to the gallery "
                + "topic, from which every recognizer replica builds its index.",
                "  vap enroll --id alice --name \"Alice Smith\" alice1.jpg alice2.jpg",
                "  vap enroll --folder watchlist/   (one sub-folder of photos per person; folder name = identity id)"})
public final class EnrollCommand implements VapCommand {
    @Mixin
    ServiceOptions options;

    @Option(names = "--id", description = "Identity id (the gallery key).")
    String id;

    @Option(names = "--name", description = "Display name (default: the id).")
    String name;

    @Option(names = "--watchlist", defaultValue = "default", description = "Watchlist name (default: ${DEFAULT-VALUE}).")
    String watchlist;

    @Option(names = "--face", paramLabel = "N", description = "In photos with several faces, enrol face N (0 = best detection score).")
    Integer face;

    @Option(names = "--largest", description = "In photos with several faces, enrol the largest.")
    boolean largest;

    @Option(names = "--folder", paramLabel = "DIR", description = "Enrol every sub-folder of DIR as one person.")
    Path folder;

    @Parameters(paramLabel = "PHOTO", arity = "0..*", description = "Photos of the person given by --id.")
    List<Path> photos = List.of();

    @Override
    public Integer call() {
        if ((folder == null) == (id == null)) {
            System.err.println("enroll: give either --id with photos, or --folder DIR");
            return 2;
        }
        if (id != null && photos.isEmpty()) {
            System.err.println("enroll: no photos given for " + id);
            return 2;
        }
        FaceChoice choice = face != null ? FaceChoice.index(face) : largest ? FaceChoice.LARGEST : FaceChoice.ONLY;
        // Never let the first enrolment auto-create a deleting gallery: enrolled people would age out.
        TopicAdmin.requireCompactedGallery(KafkaSettings.from(options.settings()), Topics.from(options.settings()).gallery());
        try (Enroller enroller = Enroller.create(options.settings())) {
            List<Enrolment> results;
            if (folder != null) {
                int total = Enroller.peopleIn(folder).values().stream().mapToInt(List::size).sum();
                try (ProgressBar bar = new ProgressBar(System.out, "enrol", total)) {
                    results = enroller.enrolFolder(folder, watchlist, (photo, all) -> bar.step(photo.getFileName().toString()));
                }
            } else {
                results = List.of(enroller.enrol(id, name, watchlist, photos, choice));
            }
            int enrolled = 0;
            for (Enrolment e : results) {
                enrolled += e.enrolled() ? 1 : 0;
                e.rejected().forEach((photo, why) -> System.err.printf("  %s: %s rejected: %s%n", e.identityId(), photo, why));
                if (!e.enrolled()) {
                    System.err.printf("  %s NOT enrolled: no usable photo%n", e.identityId());
                }
            }
            System.out.printf("enrolled %d of %d identities into watchlist '%s'%n", enrolled, results.size(), watchlist);
            return enrolled == results.size() ? 0 : 1;
        }
    }
}
