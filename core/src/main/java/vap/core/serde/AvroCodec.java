package vap.core.serde;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import vap.core.registry.SchemaRegistry;
import vap.core.registry.SchemaRegistryException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encodes and decodes one generated Avro record type in the Confluent wire format, with subjects named
 * after the topic ({@code <topic>-value}, Confluent's TopicNameStrategy). Thread-safe.
 */
public final class AvroCodec<T extends SpecificRecord> {
    static {
        // Garbage bytes can claim gigabyte-long strings; cap what one record may allocate.
        limit("org.apache.avro.limits.bytes.maxLength", 64L << 20);
        limit("org.apache.avro.limits.string.maxLength", 16L << 20);
        limit("org.apache.avro.limits.collectionItems.maxLength", 10_000_000L);
    }

    private final SchemaRegistry registry;
    private final Class<T> type;
    private final Schema readerSchema;
    private final boolean autoRegister;
    private final SpecificDatumWriter<T> writer;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final Map<String, Integer> idByTopic = new ConcurrentHashMap<>();

    public AvroCodec(SchemaRegistry registry, Class<T> type, boolean autoRegister) {
        this.registry = registry;
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.autoRegister = autoRegister;
        this.writer = new SpecificDatumWriter<>(readerSchema);
    }

    public AvroCodec(SchemaRegistry registry, Class<T> type) {
        this(registry, type, true);
    }

    public static String subject(String topic) {
        return topic + "-value";
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return readerSchema;
    }

    public byte[] encode(String topic, T value) {
        int id = idByTopic.computeIfAbsent(topic, t -> autoRegister
                ? registry.register(subject(t), readerSchema)
                : registry.lookup(subject(t), readerSchema));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(WireFormat.MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(value, enc);
            enc.flush();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Decodes a wire-format payload; every failure is a {@link WireFormatException} saying what was wrong. */
    public T decode(String topic, byte[] payload) {
        int id = WireFormat.schemaId(topic, payload);
        DatumReader<T> reader = readerFor(topic, id);
        BinaryDecoder dec = DecoderFactory.get().binaryDecoder(payload, WireFormat.HEADER_SIZE,
                payload.length - WireFormat.HEADER_SIZE, null);
        T value;
        try {
            value = reader.read(null, dec);
        } catch (IOException | RuntimeException e) {
            throw new MalformedPayloadException("cannot decode " + type.getSimpleName() + " (schema id " + id + ") from "
                    + payload.length + " bytes on " + topic + ": " + describe(e), e);
        }
        try {
            if (!dec.isEnd()) {
                throw new MalformedPayloadException(type.getSimpleName() + " on " + topic + " (schema id " + id
                        + ") has trailing bytes after the record: payload is corrupt", null);
            }
        } catch (IOException e) {
            throw new MalformedPayloadException("cannot read " + topic + " payload: " + e.getMessage(), e);
        }
        return value;
    }

    private DatumReader<T> readerFor(String topic, int id) {
        DatumReader<T> r = readers.get(id);
        if (r != null) {
            return r;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.byId(id);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == 40403 || e.httpStatus() == 404) {
                throw new UnknownSchemaIdException("unknown schema id " + id + " on " + topic
                        + ": the schema registry has no such schema (wrong registry, or the record is not ours)", id, e);
            }
            throw e; // registry down: not the record's fault, so not a dead letter
        }
        try {
            org.apache.avro.SchemaCompatibility.SchemaPairCompatibility c =
                    org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
            if (c.getType() != org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new SchemaMismatchException("schema id " + id + " on " + topic + " (" + writerSchema.getFullName()
                        + ") cannot be read as " + readerSchema.getFullName() + ": " + c.getDescription(), null);
            }
            r = new SpecificDatumReader<>(writerSchema, readerSchema);
        } catch (AvroRuntimeException e) {
            throw new SchemaMismatchException("schema id " + id + " cannot be read as " + type.getSimpleName(), e);
        }
        readers.put(id, r);
        return r;
    }

    private static String describe(Throwable e) {
        if (e instanceof java.io.EOFException) {
            return "payload is truncated";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static void limit(String property, long value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Long.toString(value));
        }
    }
}
