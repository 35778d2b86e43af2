package vap.core.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.kafka.Topics;
import vap.core.registry.SchemaRegistry;
import vap.core.serde.AvroCodec;
import vap.core.serde.WireFormatException;
import vap.messages.DeadLetter;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The consumer loop of every worker service: poll a batch of raw records, decode them (bad bytes become dead
 * letters), hand them to the processor, wait until Kafka has acknowledged every output, and only then commit
 * the input offsets. If output fails, the batch is re-read from its first offsets: nothing is lost, and what
 * may be repeated is keyed so that downstream writes are idempotent. Empty polls and a clean stop give a stateful
 * processor its turn ({@link BatchProcessor#idle}, {@link BatchProcessor#closing}).
 *
 * <p>Over 300 lines because the loop, its retry paths and the outbox that makes them safe belong together.
 */
public final class BatchWorker<I extends SpecificRecord> implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);

    public enum State { STARTING, RUNNING, RETRYING, STOPPED, FAILED }

    private final WorkerConfig config;
    private final AvroCodec<I> inputCodec;
    private final BatchProcessor<I> processor;
    private final SchemaRegistry registry;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<Class<?>, AvroCodec<SpecificRecord>> outputCodecs = new ConcurrentHashMap<>();
    private final AvroCodec<DeadLetter> deadLetterCodec;
    private final Counter recordsIn;
    private final Counter recordsOut;
    private final Counter deadLetters;
    private final Counter batchRetries;
    private final Timer batchTimer;
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private volatile boolean running = true;
    private volatile Instant lastProgress = Instant.now();
    private volatile Thread thread;
    private int outageRetries;

    public BatchWorker(WorkerConfig config, AvroCodec<I> inputCodec, BatchProcessor<I> processor, MeterRegistry metrics) {
        this.config = config;
        this.inputCodec = inputCodec;
        this.processor = processor;
        this.registry = config.kafka().registryClient();
        String clientId = config.service() + "-" + Long.toHexString(System.nanoTime());
        Map<String, Object> cp = config.kafka().consumerProps(config.groupId(), clientId);
        cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatch());
        this.consumer = new KafkaConsumer<>(cp);
        this.producer = new KafkaProducer<>(config.kafka().producerProps(clientId));
        this.deadLetterCodec = new AvroCodec<>(registry, DeadLetter.class);
        var tags = io.micrometer.core.instrument.Tags.of("service", config.service(), "topic", config.inputTopic());
        this.recordsIn = metrics.counter("vap.worker.records.in", tags);
        this.recordsOut = metrics.counter("vap.worker.records.out", tags);
        this.deadLetters = metrics.counter("vap.worker.dead.letters", tags);
        this.batchRetries = metrics.counter("vap.worker.batch.retries", tags);
        this.batchTimer = metrics.timer("vap.worker.batch", tags);
    }

    public State state() {
        return state.get();
    }

    /** When the loop last completed a poll (with or without records): a stuck worker stops advancing this. */
    public Instant lastProgress() {
        return lastProgress;
    }

    /** Runs the loop on a new named thread. */
    public BatchWorker<I> start() {
        Thread t = new Thread(this, config.service() + "-worker");
        thread = t;
        t.start();
        return this;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(config.inputTopic()));
            state.set(State.RUNNING);
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
                lastProgress = Instant.now();
                if (!records.isEmpty()) {
                    handle(records);
                } else {
                    handleIdle();
                }
            }
            handleClosing();
            state.set(State.STOPPED);
        } catch (WakeupException e) {
            handleClosing();
            state.set(State.STOPPED); // close() asked us to stop
        } catch (RuntimeException e) {
            state.set(State.FAILED);
            log.error("{} worker on {} stopped: {}", config.service(), config.inputTopic(), e.toString(), e);
            throw e;
        } finally {
            try {
                producer.close(java.time.Duration.ofSeconds(10));
            } finally {
                consumer.close(java.time.Duration.ofSeconds(10));
            }
        }
    }

    private void handle(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, Long> firstOffsets = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> part = records.records(tp);
            firstOffsets.put(tp, part.get(0).offset());
            commit.put(tp, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
        }
        Timer.Sample sample = Timer.start();
        PendingOutbox out = new PendingOutbox();
        List<Incoming<I>> decoded = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
            recordsIn.increment();
            if (r.value() == null) {
                continue; // a tombstone carries nothing to process
            }
            try {
                decoded.add(new Incoming<>(r, inputCodec.decode(r.topic(), r.value())));
            } catch (WireFormatException e) {
                out.deadLetter(new Incoming<>(r, null), e);
            }
        }
        if (!decoded.isEmpty()) {
            try {
                processWithRetries(decoded, out);
            } catch (RetryLaterException e) {
                // An outage, not bad data: re-read the same records later, with a growing pause (capped at 30 s).
                state.set(State.RETRYING);
                batchRetries.increment();
                long pause = Math.min(30_000L, config.retryBackoff().toMillis() << Math.min(outageRetries++, 5));
                log.warn("{}: {}; retrying {} records in {} ms", config.service(), e.getMessage(), records.count(), pause);
                firstOffsets.forEach(consumer::seek);
                sleep(pause);
                return;
            }
        }
        try {
            out.awaitAcknowledged();
        } catch (Exception e) {
            // Output not acknowledged: do not commit; re-read this batch after a pause.
            state.set(State.RETRYING);
            batchRetries.increment();
            log.warn("{}: output to Kafka failed ({}); re-reading {} records from their first offsets in {} ms",
                    config.service(), RootCause.describe(e), records.count(), config.retryBackoff().toMillis());
            processor.discarded();
            firstOffsets.forEach(consumer::seek);
            sleep(config.retryBackoff().toMillis());
            return;
        }
        consumer.commitSync(commit);
        if (outageRetries > 0) {
            log.info("{}: recovered after {} retries", config.service(), outageRetries);
            outageRetries = 0;
        }
        state.set(State.RUNNING);
        sample.stop(batchTimer);
    }

    /** Lets the processor emit what only time decides; no offsets are involved, so a failure is logged and left. */
    private void handleIdle() {
        PendingOutbox out = new PendingOutbox();
        try {
            processor.idle(out);
            if (!out.held.isEmpty()) {
                out.awaitAcknowledged(); // most idle polls emit nothing: no flush for them
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            processor.discarded();
            log.warn("{}: idle output failed: {}", config.service(), RootCause.describe(e));
        }
    }

    private void handleClosing() {
        PendingOutbox out = new PendingOutbox();
        try {
            processor.closing(out);
            out.awaitAcknowledged();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("{}: output on closing failed: {}", config.service(), RootCause.describe(e));
        }
    }

    private void processWithRetries(List<Incoming<I>> batch, PendingOutbox out) throws RetryLaterException {
        Exception last = null;
        for (int attempt = 0; attempt <= config.batchRetries(); attempt++) {
            PendingOutbox attemptOut = new PendingOutbox();
            try {
                processor.process(batch, attemptOut);
                out.adopt(attemptOut);
                return;
            } catch (RetryLaterException e) {
                throw e;
            } catch (Exception e) {
                attemptOut.discard();
                last = e;
                batchRetries.increment();
                log.warn("{}: batch of {} failed (attempt {} of {}): {}", config.service(), batch.size(), attempt + 1,
                        config.batchRetries() + 1, RootCause.describe(e));
                sleep(config.retryBackoff().toMillis() * (attempt + 1));
            }
        }
        // One record may be poisoning the batch: isolate it, let the others through.
        log.warn("{}: processing the {} records one by one after: {}", config.service(), batch.size(), RootCause.describe(last));
        for (Incoming<I> in : batch) {
            PendingOutbox single = new PendingOutbox();
            try {
                processor.process(List.of(in), single);
                out.adopt(single);
            } catch (RetryLaterException e) {
                throw e;
            } catch (Exception e) {
                single.discard();
                out.deadLetter(in, e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Outputs are held until the processor's attempt succeeds, then sent together (so Kafka batches them) and
     * remembered until acknowledged: a failed attempt emits nothing.
     */
    private final class PendingOutbox implements Outbox {
        private final List<ProducerRecord<String, byte[]>> held = new ArrayList<>();
        private final List<Future<RecordMetadata>> sent = new ArrayList<>();
        private int deadCount;

        @Override
        @SuppressWarnings("unchecked")
        public void send(String topic, String key, SpecificRecord value) {
            byte[] bytes = null;
            if (value != null) {
                AvroCodec<SpecificRecord> codec = outputCodecs.computeIfAbsent(value.getClass(),
                        c -> new AvroCodec<>(registry, (Class<SpecificRecord>) c));
                bytes = codec.encode(topic, value);
            }
            held.add(new ProducerRecord<>(topic, key, bytes));
        }

        @Override
        public void deadLetter(Incoming<?> input, Throwable error) {
            ConsumerRecord<String, byte[]> r = input.record();
            DeadLetter dl = DeadLetter.newBuilder()
                    .setService(config.service())
                    .setSourceTopic(r.topic())
                    .setSourcePartition(r.partition())
                    .setSourceOffset(r.offset())
                    .setKey(r.key() == null ? null : ByteBuffer.wrap(r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .setValue(r.value() == null ? null : ByteBuffer.wrap(r.value()))
                    .setErrorType(error.getClass().getName())
                    .setErrorMessage(String.valueOf(error.getMessage()))
                    .setFailedTimestamp(Instant.now())
                    .build();
            String dlq = Topics.deadLetterTopic(r.topic());
            held.add(new ProducerRecord<>(dlq, r.key(), deadLetterCodec.encode(dlq, dl)));
            deadCount++;
            log.warn("{}: {}[{}]@{} sent to {}: {}", config.service(), r.topic(), r.partition(), r.offset(), dlq,
                    error.getMessage());
        }

        /** Takes over a successful attempt's outputs. */
        void adopt(PendingOutbox attempt) {
            held.addAll(attempt.held);
            deadCount += attempt.deadCount;
        }

        void discard() {
            held.clear();
            deadCount = 0;
        }

        void awaitAcknowledged() throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
            for (ProducerRecord<String, byte[]> r : held) {
                sent.add(producer.send(r));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(2, TimeUnit.MINUTES);
            }
            recordsOut.increment(sent.size() - deadCount);
            deadLetters.increment(deadCount);
        }
    }
}
