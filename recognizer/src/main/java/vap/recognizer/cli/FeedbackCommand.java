package vap.recognizer.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vap.core.cli.ServiceOptions;
import vap.core.cli.VapCommand;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;
import vap.core.kafka.Topics;
import vap.messages.Feedback;
import vap.recognizer.feedback.FaceSource;
import vap.recognizer.feedback.FeedbackPublisher;
import vap.recognizer.feedback.FeedbackRecords;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Optional;

/**
 * {@code vap feedback --not ID --sighting CAM/SEQ/FACE | --appearance TRACK}: reads that face's embedding from the
 * sinks' database and publishes a Feedback record; every recognizer replica then holds that identity to a higher
 * threshold for faces like it.
 */
@Command(name = "feedback", mixinStandardHelpOptions = true,
        description = {"Negative feedback: a face (one sighting, or an appearance's fused track embedding) is NOT "
                + "this person. Reads its embedding from PostgreSQL (--jdbc-url, or sinks.jdbc.url/user/password) and "
                + "publishes it to the feedback topic; every recognizer replica then requires faces matching that "
                + "person to be closer to them than to this face (by 0.02). Exit code 1 when the face is not in the database.",
                "  vap feedback --not alice --sighting lobby-1/1795480521215007/0",
                "  vap feedback --not alice --appearance lobby-1:17"})
public final class FeedbackCommand implements VapCommand {
    @Mixin
    ServiceOptions options;

    @Option(names = "--not", required = true, paramLabel = "ID", description = "The identity the face is not.")
    String identityId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Face face;

    static final class Face {
        @Option(names = "--sighting", paramLabel = "CAMERA/SEQUENCE/FACE", description = "One sighting's face.")
        String sighting;
        @Option(names = "--appearance", paramLabel = "TRACK", description = "One appearance (its track id).")
        String appearance;
    }

    @Option(names = "--jdbc-url", description = "PostgreSQL of the sinks (default: sinks.jdbc.url).")
    String jdbcUrl;

    @Option(names = "--user", description = "Who gives the feedback (default: the OS user).")
    String user = System.getProperty("user.name", "cli");

    @Option(names = "--reason", description = "Why (optional).")
    String reason;

    @Override
    public Integer call() throws Exception {
        Settings s = options.settings();
        FaceSource source = face.sighting != null ? FaceSource.sighting(face.sighting) : FaceSource.appearance(face.appearance);
        String url = jdbcUrl != null ? jdbcUrl : s.required("sinks.jdbc.url");
        Optional<float[]> embedding;
        try (Connection c = DriverManager.getConnection(url, s.string("sinks.jdbc.user", "postgres"),
                s.string("sinks.jdbc.password", ""))) {
            embedding = source.embedding(c);
        }
        if (embedding.isEmpty()) {
            System.out.println("not found " + source + " in " + url);
            return 1;
        }
        Feedback record = FeedbackRecords.notThisPerson(identityId, source, embedding.get(), user, reason);
        try (FeedbackPublisher publisher = new FeedbackPublisher(KafkaSettings.from(s), Topics.from(s).feedback())) {
            publisher.publish(record);
            System.out.println("feedback " + record.getFeedbackId() + ": " + source + " is not " + identityId
                    + " (published to " + publisher.topic() + ")");
        }
        return 0;
    }
}
