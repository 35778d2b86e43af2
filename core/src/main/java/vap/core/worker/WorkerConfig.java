package vap.core.worker;

import vap.core.kafka.KafkaSettings;

import java.time.Duration;

/**
 * @param service    name used in client ids, metrics tags and dead letters
 * @param groupId    consumer group: replicas with the same group share the input partitions
 * @param inputTopic topic to consume
 * @param maxBatch   most records handed to the processor at once (max.poll.records)
 * @param batchRetries how often a failing batch is retried whole before its records are tried one by one
 */
public record WorkerConfig(String service, String groupId, String inputTopic, int maxBatch, Duration pollTimeout,
                           int batchRetries, Duration retryBackoff, KafkaSettings kafka) {

    public static WorkerConfig of(String service, String groupId, String inputTopic, int maxBatch, KafkaSettings kafka) {
        return new WorkerConfig(service, groupId, inputTopic, maxBatch, Duration.ofMillis(200), 2,
                Duration.ofSeconds(1), kafka);
    }
}
