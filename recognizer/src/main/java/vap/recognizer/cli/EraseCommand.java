package vap.recognizer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.recognizer.watchlist.GalleryPublisher;

import java.util.List;

/** {@code vap erase ID...}: a tombstone per identity on the gallery topic. */
@Command(name = "erase", mixinStandardHelpOptions = true,
        description = {"Erase identities from the watchlist on every recognizer replica (a tombstone on the gallery "
                + "topic; compaction then removes their embeddings from Kafka).", "  vap erase alice bob"})
public final class EraseCommand implements VapCommand {
    @Mixin
    ServiceOptions options;

    @Parameters(paramLabel = "ID", arity = "1..*", description = "Identity ids to erase.")
    List<String> ids;

    @Override
    public Integer call() {
        Settings s = options.settings();
        vap.core.kafka.TopicAdmin.requireCompactedGallery(KafkaSettings.from(s), Topics.from(s).gallery());
        try (GalleryPublisher publisher = new GalleryPublisher(KafkaSettings.from(s), Topics.from(s).gallery())) {
            for (String id : ids) {
                publisher.erase(id);
                System.out.println("erased " + id);
            }
        }
        return 0;
    }
}
