package vap.recognizer.feedback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.kafka.CompactedTopicReader;
import vap.core.kafka.KafkaSettings;
import vap.core.serde.AvroCodec;
import vap.messages.Feedback;
import vap.recognizer.watchlist.Watchlist;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Feeds the compacted feedback topic into one replica's watchlist as negative feedback. Like the gallery, every
 * replica reads every partition itself ({@link CompactedTopicReader}: assign, no consumer group) from the
 * beginning, so each holds all of it and a tombstone withdraws a correction everywhere. No snapshot: feedback is
 * small and re-read at each start.
 */
public final class FeedbackFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FeedbackFollower.class);

    private final CompactedTopicReader<Feedback, Watchlist.Feedback> reader;

    public FeedbackFollower(Watchlist watchlist, KafkaSettings kafka, String feedbackTopic, AvroCodec<Feedback> codec,
                            String clientId) {
        this.reader = new CompactedTopicReader<>(kafka, feedbackTopic, "feedback",
                new CompactedTopicReader.Format<>(codec, Feedback::getFeedbackId,
                        f -> Watchlist.Feedback.given(f.getFeedbackId(), f.getIdentityId(), FeedbackRecords.vector(f))),
                clientId, "create it compacted (vap topics, or the launcher at start)");
        reader.start(Map.of(), "feedback-follower", new CompactedTopicReader.Listener<>() {
            @Override
            public void read(CompactedTopicReader.Poll<Watchlist.Feedback> poll) {
                if (poll.records() > 0) {
                    watchlist.applyFeedback(poll.entries().stream()
                            .map(e -> e.tombstone() ? Watchlist.Feedback.withdrawn(e.key()) : e.value()).toList());
                }
            }

            @Override
            public void caughtUp() {
                log.info("feedback: caught up with {} ({} corrections)", feedbackTopic, watchlist.feedbackCount(null));
            }
        });
    }

    /** True when the topic exists (a recognizer runs without feedback on a cluster set up before it existed). */
    public static boolean topicExists(KafkaSettings kafka, String feedbackTopic) {
        return CompactedTopicReader.exists(kafka, feedbackTopic, "vap-feedback-probe-" + Long.toHexString(System.nanoTime()));
    }

    /** Blocks until the topic has been read up to where it stood at start. */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException, TimeoutException {
        reader.awaitCaughtUp(timeout);
    }

    /** Records that could not be decoded and were skipped (logged with their offsets). */
    public long skipped() {
        return reader.skipped();
    }

    @Override
    public void close() {
        reader.close();
    }
}
