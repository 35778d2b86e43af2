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
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.core.kafka.Topics;
import vap.core.registry.SchemaRegistry;
import vap.core.registry.SchemaRegistryException;
import vap.core.serde.AvroCodec;
import vap.core.serde.WireFormatException;
import vap.messages.DeadLetter;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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

    /** FAILED: the loop crashed and waits out its backoff before it restarts with new clients. */
    /** Room for the record batch header and the key in a producer request. */
    private static final int RECORD_OVERHEAD = 1024;
    private static final int MAX_ERROR_CHARS = 4096;

    public enum State { STARTING, RUNNING, RETRYING, STOPPED, FAILED }

    private final WorkerConfig config;
    private final AvroCodec<I> inputCodec;
    private final BatchProcessor<I> processor;
    private final SchemaRegistry registry;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile KafkaProducer<String, byte[]> producer;
    private final Map<Class<?>, AvroCodec<SpecificRecord>> outputCodecs = new ConcurrentHashMap<>();
    private final AvroCodec<DeadLetter> deadLetterCodec;
    private final Counter recordsIn;
    private final Counter recordsOut;
    private final Counter deadLetters;
    private final Counter batchRetries;
    private final Timer batchTimer;
    private final MeterRegistry metrics;
    private final io.micrometer.core.instrument.Tags tags;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final WorkerSupervisor supervisor;
    private final int maxRequestSize;
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
        this.metrics = metrics;
        Object mrs = config.kafka().producerProps("probe").get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        this.maxRequestSize = mrs == null ? 1 << 20 : Integer.parseInt(mrs.toString());
        openClients();
        this.deadLetterCodec = new AvroCodec<>(registry, DeadLetter.class);
        var tags = io.micrometer.core.instrument.Tags.of("service", config.service(), "topic", config.inputTopic());
        this.tags = tags;
        this.recordsIn = metrics.counter("vap.worker.records.in", tags);
        this.recordsOut = metrics.counter("vap.worker.records.out", tags);
        this.deadLetters = metrics.counter("vap.worker.dead.letters", tags);
        this.batchRetries = metrics.counter("vap.worker.batch.retries", tags);
        this.batchTimer = metrics.timer("vap.worker.batch", tags);
        this.supervisor = new WorkerSupervisor(config, metrics, tags, () -> running, this::pause, state::set);
    }

    public State state() {
        return state.get();
    }

    /**
     * When the loop last found nothing to do or committed a batch: a worker that is stuck in a batch, retrying an
     * outage or crash-looping stops advancing this (see {@link #stalledFor}).
     */
    public Instant lastProgress() {
        return lastProgress;
    }

    /** How long this worker has gone without progress beyond its stall timeout; zero while it is fine. */
    public Duration stalledFor(Instant now) {
        Duration since = Duration.between(lastProgress, now);
        return since.compareTo(config.stallTimeout()) > 0 ? since : Duration.ZERO;
    }

    /** How often the loop crashed and was restarted with new clients (also {@code vap.worker.restarts}). */
    public long restarts() {
        return supervisor.restarts();
    }

    /** The failure behind the last restart, or null. */
    public Throwable lastFailure() {
        return supervisor.lastFailure();
    }

    public WorkerConfig config() {
        return config;
    }

    /** Runs the loop on a new named thread. */
    public BatchWorker<I> start() {
        Thread t = new Thread(this, config.service() + "-worker");
        thread = t;
        t.start();
        return this;
    }

    /**
     * Runs the loop under its {@link WorkerSupervisor}: whatever ends it closes both clients, waits a growing
     * backoff and starts again from the last committed offsets with new clients, so nothing acknowledged is lost
     * and the worker never stays dead. Only {@link #close()} ends it.
     */
    @Override
    public void run() {
        try {
            supervisor.supervise(this::loop, new WorkerSupervisor.Clients() {
                @Override
                public void open() {
                    openClients();
                }

                @Override
                public void close() {
                    closeClients();
                }
            });
            handleClosing(); // a clean stop: the processor may still publish what it holds (open face tracks)
        } finally {
            state.set(State.STOPPED);
            closeClients();
        }
    }

    private void loop() {
        consumer.subscribe(List.of(config.inputTopic()));
        state.set(State.RUNNING);
        while (running) {
            ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
            if (records.isEmpty()) {
                lastProgress = Instant.now(); // idle is fine: nothing waits for this worker
                handleIdle();
            } else {
                handle(records);
            }
        }
    }

    private void openClients() {
        String clientId = config.service() + "-" + Long.toHexString(System.nanoTime());
        Map<String, Object> cp = config.kafka().consumerProps(config.groupId(), clientId);
        cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatch());
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cp);
        try {
            producer = new KafkaProducer<>(config.kafka().producerProps(clientId));
        } catch (RuntimeException e) {
            c.close(Duration.ZERO);
            throw e;
        }
        consumer = c;
    }

    private void closeClients() {
        try {
            producer.close(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            log.warn("{}: closing the producer: {}", config.service(), e.toString());
        }
        try {
            consumer.close(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            log.warn("{}: closing the consumer: {}", config.service(), e.toString());
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
            } catch (SchemaRegistryException e) {
                // The registry is down or refuses us: not the record's fault, so re-read it later, never dead-letter.
                retryLater(firstOffsets, records.count(), "schema registry unavailable while decoding: "
                        + RootCause.describe(e));
                return;
            } catch (RuntimeException e) {
                // The id names a schema we cannot read at all (not Avro, unparsable): the record is bad in itself.
                out.deadLetter(new Incoming<>(r, null), e);
            }
        }
        if (!decoded.isEmpty()) {
            try {
                processWithRetries(decoded, out);
            } catch (RetryLaterException e) {
                retryLater(firstOffsets, records.count(), e.getMessage());
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
            pause(config.retryBackoff().toMillis());
            return;
        }
        try {
            consumer.commitSync(commit);
        } catch (RuntimeException e) {
            processor.discarded(); // the batch will be read again: its effect on the processor's state must go too
            throw e;
        }
        lastProgress = Instant.now();
        supervisor.succeeded();
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

    /** An outage, not bad data: re-read the same records later, with a growing pause (capped at 30 s). */
    private void retryLater(Map<TopicPartition, Long> firstOffsets, int count, String why) {
        state.set(State.RETRYING);
        batchRetries.increment();
        long pause = Math.min(30_000L, config.retryBackoff().toMillis() << Math.min(outageRetries++, 5));
        log.warn("{}: {}; retrying {} records in {} ms", config.service(), why, count, pause);
        firstOffsets.forEach(consumer::seek);
        pause(pause);
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
                pause(config.retryBackoff().toMillis() * (attempt + 1));
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
        stopSignal.countDown();
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

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + (s.length() - max) + " more characters)";
    }

    /** Sleeps, but returns at once when close() is called. */
    private void pause(long ms) {
        try {
            stopSignal.await(ms, TimeUnit.MILLISECONDS);
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
                    .setErrorMessage(truncate(String.valueOf(error.getMessage()), MAX_ERROR_CHARS))
                    .setFailedTimestamp(Instant.now())
                    .build();
            String dlq = Topics.deadLetterTopic(r.topic());
            byte[] encoded = deadLetterCodec.encode(dlq, dl);
            if (encoded.length + RECORD_OVERHEAD > maxRequestSize) {
                // Too large for our producer: keep a reference to the original instead of retrying for ever.
                dl.setValue(null);
                dl.setErrorMessage(dl.getErrorMessage() + " [value of " + r.value().length + " bytes left out: more than "
                        + "max.request.size " + maxRequestSize + "; the original is " + r.topic() + "[" + r.partition()
                        + "]@" + r.offset() + " while that topic retains it]");
                encoded = deadLetterCodec.encode(dlq, dl);
            }
            held.add(new ProducerRecord<>(dlq, r.key(), encoded));
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
