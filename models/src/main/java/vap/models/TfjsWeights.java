package vap.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of a TF.js weights manifest: entries in order (name, shape, dtype, optional uint8
 * quantisation), their values concatenated little-endian across the shards. Quantised tensors are
 * dequantised here (value = q * scale + min), so callers always see float32.
 */
public final class TfjsWeights {

    /** One named tensor in the manifest's layout (TF.js: conv filters HWIO, dense weights [in, out]). */
    public record Tensor(String name, int[] shape, float[] values) {
        public long size() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final Map<String, Tensor> tensors;

    private TfjsWeights(Map<String, Tensor> tensors) {
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** A layers-model manifest file (a JSON array of groups) and its shards, in the manifest's order. */
    public static TfjsWeights fromManifest(ModelFile manifest, List<ModelFile> shards) {
        try {
            JsonNode groups = new ObjectMapper().readTree(manifest.read());
            return parse(groups, shards, manifest.npmPackage().coordinates() + " " + manifest.pathInPackage());
        } catch (IOException e) {
            throw new UncheckedIOException("parsing " + manifest.pathInPackage(), e);
        }
    }

    /** A graph-model JSON (with an embedded "weightsManifest") and its weight files. */
    public static TfjsWeights fromGraphModel(ModelFile graphJson, List<ModelFile> shards) {
        try {
            JsonNode root = new ObjectMapper().readTree(graphJson.read());
            return parse(root.get("weightsManifest"), shards,
                    graphJson.npmPackage().coordinates() + " " + graphJson.pathInPackage());
        } catch (IOException e) {
            throw new UncheckedIOException("parsing " + graphJson.pathInPackage(), e);
        }
    }

    static TfjsWeights parse(JsonNode groups, List<ModelFile> shards, String source) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ModelFile shard : shards) {
            all.writeBytes(shard.read());
        }
        ByteBuffer data = ByteBuffer.wrap(all.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (JsonNode group : groups) {
            for (JsonNode w : group.get("weights")) {
                String name = w.get("name").asText();
                int[] shape = new int[w.get("shape").size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = w.get("shape").get(i).asInt();
                    count *= shape[i];
                }
                float[] values = new float[Math.toIntExact(count)];
                JsonNode q = w.get("quantization");
                if (q != null) {
                    String qtype = q.get("dtype").asText();
                    if (!qtype.equals("uint8")) {
                        throw new ModelUnavailableException(source + ": tensor " + name + " uses quantisation " + qtype
                                + ", only uint8 is supported");
                    }
                    float scale = (float) q.get("scale").asDouble();
                    float min = (float) q.get("min").asDouble();
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (data.get() & 0xff) * scale + min;
                    }
                } else {
                    String dtype = w.get("dtype").asText();
                    switch (dtype) {
                        case "float32" -> data.asFloatBuffer().get(values);
                        case "int32" -> {
                            for (int i = 0; i < values.length; i++) {
                                values[i] = data.getInt(data.position() + 4 * i);
                            }
                        }
                        default -> throw new ModelUnavailableException(source + ": tensor " + name
                                + " has unsupported dtype " + dtype);
                    }
                    if (dtype.equals("float32") || dtype.equals("int32")) {
                        data.position(data.position() + 4 * values.length);
                    }
                }
                out.put(name, new Tensor(name, shape, values));
            }
        }
        if (data.hasRemaining()) {
            throw new ModelUnavailableException(source + ": " + data.remaining()
                    + " bytes left over after the last tensor; the shards do not match the manifest");
        }
        return new TfjsWeights(out);
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new ModelUnavailableException("no tensor named " + name + " (have " + tensors.keySet() + ")");
        }
        return t;
    }

    public Map<String, Tensor> all() {
        return tensors;
    }
}
