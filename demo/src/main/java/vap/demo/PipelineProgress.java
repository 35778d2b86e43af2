package vap.demo;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import vap.core.kafka.KafkaSettings;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Records per topic since a starting point, and whether consumer groups have caught up (lag zero). */
public final class PipelineProgress implements AutoCloseable {
    private final Admin admin;
    private final Map<String, Long> startOffsets = new HashMap<>();

    public PipelineProgress(KafkaSettings kafka, List<String> topics) {
        this.admin = Admin.create(kafka.common());
        topics.forEach(t -> startOffsets.put(t, endOffset(t)));
    }

    /** Records appended to {@code topic} since this object was made. */
    public long since(String topic) {
        return endOffset(topic) - startOffsets.getOrDefault(topic, 0L);
    }

    public long endOffset(String topic) {
        try {
            var desc = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            desc.partitions().forEach(p -> req.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(req).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(r -> r.offset()).sum();
        } catch (Exception e) {
            return 0; // topic not created yet
        }
    }

    /** Messages {@code group} has not yet committed past on {@code topic}. */
    public long lag(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            var desc = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            desc.partitions().forEach(p -> req.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            long lag = 0;
            for (var e : admin.listOffsets(req).all().get(10, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }

    /** Waits until every (group, topic) has lag zero; false on timeout. */
    public boolean awaitDrained(Map<String, String> topicByGroup, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (topicByGroup.entrySet().stream().allMatch(e -> lag(e.getKey(), e.getValue()) == 0)) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    @Override
    public void close() {
        admin.close();
    }
}
