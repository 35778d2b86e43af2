package vap.core.worker;

import vap.core.config.ConfigException;
import vap.core.config.Settings;
import vap.core.kafka.KafkaSettings;

import java.time.Duration;

/**
 * @param service           name used in client ids, metrics tags and dead letters
 * @param groupId           consumer group: replicas with the same group share the input partitions
 * @param inputTopic        topic to consume
 * @param maxBatch          most records handed to the processor at once (max.poll.records)
 * @param batchRetries      how often a failing batch is retried whole before its records are tried one by one
 * @param stallTimeout      health reports a worker that has neither been idle nor committed a batch for this long
 * @param restartBackoffMax the longest pause before a crashed worker loop starts again
 */
public record WorkerConfig(String service, String groupId, String inputTopic, int maxBatch, Duration pollTimeout,
                           int batchRetries, Duration retryBackoff, Duration stallTimeout, Duration restartBackoffMax,
                           KafkaSettings kafka) {

    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(5);

    public WorkerConfig {
        if (maxBatch < 1 || batchRetries < 0) {
            throw new ConfigException(service + ": batch size must be at least 1 and retries not negative");
        }
        if (stallTimeout.isNegative() || stallTimeout.isZero() || restartBackoffMax.isNegative()) {
            throw new ConfigException(service + ".worker.stall.timeout must be positive (got " + stallTimeout + ")");
        }
    }

    public static WorkerConfig of(String service, String groupId, String inputTopic, int maxBatch, KafkaSettings kafka) {
        return new WorkerConfig(service, groupId, inputTopic, maxBatch, Duration.ofMillis(200), 2,
                Duration.ofSeconds(1), DEFAULT_STALL_TIMEOUT, Duration.ofMinutes(1), kafka);
    }

    /** The stall timeout a service configures as {@code <prefix>.worker.stall.timeout} (default 5 min). */
    public static Duration stallTimeout(Settings settings, String prefix) {
        return settings.duration(prefix + ".worker.stall.timeout", DEFAULT_STALL_TIMEOUT);
    }

    public WorkerConfig withStallTimeout(Duration d) {
        return new WorkerConfig(service, groupId, inputTopic, maxBatch, pollTimeout, batchRetries, retryBackoff, d,
                restartBackoffMax, kafka);
    }

    public WorkerConfig withRetryBackoff(Duration d) {
        return new WorkerConfig(service, groupId, inputTopic, maxBatch, pollTimeout, batchRetries, d, stallTimeout,
                restartBackoffMax, kafka);
    }
}
