package vap.core.kafka;

/**
 * Topic names (README "Topics and schemas"). Keys are UTF-8 strings; partitioning is Kafka's default
 * murmur2 on the key, so all frames and faces of one camera stay in order on one partition, and all
 * matches and alerts of one identity on one partition.
 */
public record Topics(String frames, String faces, String sightings, String matches, String alerts, String gallery,
                     String appearances, String feedback) {

    public static Topics defaults() {
        return withPrefix("vap.");
    }

    /** Several deployments can share a cluster by prefix (topics.prefix). */
    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + "frames", prefix + "faces", prefix + "sightings", prefix + "matches",
                prefix + "alerts", prefix + "gallery", prefix + "appearances",
                prefix + "feedback");
    }

    public static Topics from(vap.core.config.Settings s) {
        return withPrefix(s.string("topics.prefix", "vap."));
    }

    /** Where records of {@code topic} that a service could not process are kept. */
    public static String deadLetterTopic(String topic) {
        return topic + ".dlq";
    }
}
