package vap.recognizer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.core.serde.AvroCodec;
import vap.messages.GalleryEntry;
import vap.recognizer.watchlist.GalleryFollower;
import vap.recognizer.watchlist.Identity;
import vap.recognizer.watchlist.WatchlistConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code vap watchlist}: the enrolled identities, read from the gallery topic. */
@Command(name = "watchlist", mixinStandardHelpOptions = true,
        description = {"List the enrolled identities (read from the gallery topic, as a recognizer replica would).",
                "  vap watchlist", "  vap watchlist --json"})
public final class WatchlistCommand implements VapCommand {
    @Mixin
    ServiceOptions options;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Settings s = options.settings();
        KafkaSettings kafka = KafkaSettings.from(s);
        // No snapshot: a listing reads the topic afresh and must not touch a service's snapshot.
        WatchlistConfig config = WatchlistConfig.from(s).withSnapshotDir(null);
        try (GalleryFollower gallery = new GalleryFollower(config, kafka, Topics.from(s).gallery(),
                new AvroCodec<>(kafka.registryClient(), GalleryEntry.class), "vap-watchlist-cli")) {
            gallery.awaitCaughtUp(Duration.ofMinutes(2));
            List<Identity> identities = gallery.watchlist().identities();
            ObjectMapper mapper = new ObjectMapper();
            if (!json) {
                System.out.printf("%-24s %-28s %-12s %6s  %s%n", "IDENTITY", "NAME", "WATCHLIST", "PHOTOS", "ENROLLED");
            }
            for (Identity i : identities) {
                if (json) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("identityId", i.identityId());
                    row.put("displayName", i.displayName());
                    row.put("watchlist", i.watchlist());
                    row.put("photos", i.photos());
                    row.put("enrolled", i.enrolledAt().toString());
                    System.out.println(mapper.writeValueAsString(row));
                } else {
                    System.out.printf("%-24s %-28s %-12s %6d  %s%n", i.identityId(), i.displayName(), i.watchlist(),
                            i.photos(), i.enrolledAt());
                }
            }
            if (!json) {
                System.out.println(identities.size() + " identities");
            }
        }
        return 0;
    }
}
