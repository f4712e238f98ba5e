package org.loes4j.encoders.mobilenet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TensorFlow.js Keras layers model read from disk: the layer list of its topology and its dequantised
 * weights. Written for the files nsfwjs ships (its {@code dist/models/mobilenet_v2/}):
 * <ul>
 *   <li>{@code model.min.js}: a UMD module whose exports are the object literal
 *       {@code {modelTopology: {model_config: {class_name: "Model", config: {layers: [...]}}}, weightsManifest: [...]}}
 *       (minified: unquoted keys, {@code .0326}, {@code !0}; read by {@link JsLiteral}, no JS engine);
 *       a plain {@code model.json} with the same content is read when there is no {@code model.min.js};</li>
 *   <li>one file per manifest path {@code p}: {@code p.min.js}, a UMD module exporting the shard's bytes as one
 *       base64 string, or else the raw shard {@code p}.</li>
 * </ul>
 * Weights are stored in manifest order across the group's shards, each tensor as float32 (4 bytes,
 * little-endian) or uint8-quantised: one byte q per value and {@code w = q * scale + min} with the
 * tensor's own {@code min} and {@code scale}. The product is computed in double and rounded to float32, as
 * TensorFlow.js's {@code decodeWeights} does, so the weights are the same bits as in the original runtime.
 * Other quantisations (uint16, float16) are rejected by name.
 */
public final class TfjsLayersModel {
    /**
     * One Keras layer of the topology.
     *
     * @param name      the layer's unique name
     * @param className Keras class ({@code Conv2D}, {@code BatchNormalization}, ...)
     * @param config    the layer's config object as read ({@link JsLiteral}'s types)
     * @param inbound   names of the layers whose outputs feed this one (empty for the input layer)
     */
    public record Layer(String name, String className, Map<String, Object> config, List<String> inbound) {
        public Layer {
            config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
            inbound = List.copyOf(inbound);
        }
    }

    /**
     * A weight tensor.
     *
     * @param name   {@code layer/variable}, e.g. {@code Conv1/kernel}, {@code bn_Conv1/moving_mean}
     * @param shape  its shape (row-major; a Keras conv kernel is {@code [kh, kw, in, out]})
     * @param values the dequantised values, product(shape) of them
     */
    public record Tensor(String name, int[] shape, float[] values) {
        /** Product of the dimensions. */
        public int size() {
            int n = 1;
            for (int d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    private final Path directory;
    private final String kerasVersion;
    private final List<Layer> layers;
    private final Map<String, Layer> byName;
    private final Map<String, Tensor> weights;

    private TfjsLayersModel(Path directory, String kerasVersion, List<Layer> layers, Map<String, Tensor> weights) {
        this.directory = directory;
        this.kerasVersion = kerasVersion;
        this.layers = List.copyOf(layers);
        Map<String, Layer> m = new LinkedHashMap<>();
        for (Layer l : layers) {
            if (m.put(l.name(), l) != null) {
                throw new IllegalArgumentException(directory + ": two layers named '" + l.name() + "'");
            }
        }
        this.byName = Collections.unmodifiableMap(m);
        this.weights = Collections.unmodifiableMap(weights);
    }

    /**
     * Reads the model in {@code directory}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong (not a model bundle, a missing
     *                                  shard, a size mismatch, an unsupported dtype)
     * @throws IOException              if a file cannot be read
     */
    public static TfjsLayersModel read(Path directory) throws IOException {
        if (directory == null) {
            throw new IllegalArgumentException("directory: null");
        }
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("directory: " + directory + " is not a directory");
        }
        Path bundle = directory.resolve("model.min.js");
        Object root;
        if (Files.isRegularFile(bundle)) {
            root = JsLiteral.moduleExports(Files.readString(bundle, StandardCharsets.UTF_8), bundle.toString());
        } else {
            Path json = directory.resolve("model.json");
            if (!Files.isRegularFile(json)) {
                throw new IllegalArgumentException("directory: " + directory + " holds neither model.min.js nor "
                        + "model.json (expected a TensorFlow.js layers model such as nsfwjs's dist/models/mobilenet_v2/)");
            }
            bundle = json;
            root = JsLiteral.parse(Files.readString(json, StandardCharsets.UTF_8), json.toString());
        }
        String src = bundle.toString();
        Map<String, Object> top = object(root, src, "the exported value");
        Map<String, Object> topology = object(top.get("modelTopology"), src, "modelTopology");
        Map<String, Object> modelConfig = object(topology.get("model_config"), src, "modelTopology.model_config");
        Object modelClass = modelConfig.get("class_name");
        if (!"Model".equals(modelClass) && !"Functional".equals(modelClass)) {
            throw new IllegalArgumentException(src + ": model_config.class_name is " + modelClass
                    + ", expected a functional Keras model (Model or Functional)");
        }
        Map<String, Object> config = object(modelConfig.get("config"), src, "model_config.config");
        List<Layer> layers = new ArrayList<>();
        for (Object o : list(config.get("layers"), src, "model_config.config.layers")) {
            layers.add(layer(o, src));
        }
        Object kv = topology.get("keras_version");
        Map<String, Tensor> weights = weights(directory, list(top.get("weightsManifest"), src, "weightsManifest"), src);
        return new TfjsLayersModel(directory, kv == null ? "unknown" : kv.toString(), layers, weights);
    }

    public Path directory() {
        return directory;
    }

    /** The Keras version the topology names ({@code keras_version}). */
    public String kerasVersion() {
        return kerasVersion;
    }

    /** All layers, in topology order. */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * The layer called {@code name}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public Layer layer(String name) {
        Layer l = byName.get(name);
        if (l == null) {
            throw new IllegalArgumentException(directory + ": no layer named '" + name + "'");
        }
        return l;
    }

    /** True when a layer called {@code name} exists. */
    public boolean hasLayer(String name) {
        return byName.containsKey(name);
    }

    /** All weights by name, in manifest order. */
    public Map<String, Tensor> weights() {
        return weights;
    }

    /**
     * The weight {@code name} ({@code layer/variable}), checked to have {@code shape}.
     *
     * @throws IllegalArgumentException if it is missing or has another shape
     */
    public Tensor weight(String name, int... shape) {
        Tensor t = weights.get(name);
        if (t == null) {
            throw new IllegalArgumentException(directory + ": no weight named '" + name + "'");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(directory + ": weight '" + name + "' has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
        }
        return t;
    }

    // ---------------------------------------------------------------- reading

    private static Layer layer(Object o, String src) {
        Map<String, Object> m = object(o, src, "a layer");
        String name = string(m.get("name"), src, "a layer's name");
        String where = "layer '" + name + "'";
        String cls = string(m.get("class_name"), src, where + ": class_name");
        Map<String, Object> cfg = object(m.get("config"), src, where + ": config");
        List<Object> nodes = list(m.get("inbound_nodes"), src, where + ": inbound_nodes");
        List<String> inbound = new ArrayList<>();
        if (nodes.size() > 1) {
            throw new IllegalArgumentException(src + ": " + where + " is called " + nodes.size()
                    + " times (shared layers are not supported)");
        }
        if (nodes.size() == 1) {
            for (Object edge : list(nodes.getFirst(), src, where + ": inbound node")) {
                List<Object> e = list(edge, src, where + ": inbound edge");
                if (e.size() < 3 || !(e.get(0) instanceof String from)
                        || !Long.valueOf(0).equals(e.get(1)) || !Long.valueOf(0).equals(e.get(2))) {
                    throw new IllegalArgumentException(src + ": " + where + ": inbound edge " + e
                            + " is not [layer, 0, 0, ...] (only single-output layers called once are supported)");
                }
                inbound.add(from);
            }
        }
        return new Layer(name, cls, cfg, inbound);
    }

    private static Map<String, Tensor> weights(Path dir, List<Object> manifest, String src) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int g = 0; g < manifest.size(); g++) {
            String where = "weightsManifest[" + g + "]";
            Map<String, Object> group = object(manifest.get(g), src, where);
            List<byte[]> shards = new ArrayList<>();
            long total = 0;
            for (Object p : list(group.get("paths"), src, where + ".paths")) {
                byte[] b = shard(dir, string(p, src, where + ".paths[]"));
                shards.add(b);
                total += b.length;
            }
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(src + ": " + where + ": shards of " + total + " bytes (at most 2 GiB)");
            }
            byte[] data = new byte[(int) total];
            int at = 0;
            for (byte[] b : shards) {
                System.arraycopy(b, 0, data, at, b.length);
                at += b.length;
            }
            int offset = 0;
            for (Object w : list(group.get("weights"), src, where + ".weights")) {
                Map<String, Object> spec = object(w, src, where + ".weights[]");
                String name = string(spec.get("name"), src, where + ": a weight's name");
                String wWhere = where + ": weight '" + name + "'";
                int[] shape = shape(list(spec.get("shape"), src, wWhere + ".shape"), src, wWhere);
                int n = 1;
                for (int d : shape) {
                    n = Math.multiplyExact(n, d);
                }
                if (!"float32".equals(spec.get("dtype"))) {
                    throw new IllegalArgumentException(src + ": " + wWhere + " has dtype " + spec.get("dtype")
                            + "; only float32 weights are supported");
                }
                float[] values = new float[n];
                Object q = spec.get("quantization");
                int bytes;
                if (q == null) {
                    bytes = Math.multiplyExact(n, 4);
                    need(data, offset, bytes, src, wWhere);
                    for (int i = 0; i < n; i++) {
                        int b = offset + 4 * i;
                        values[i] = Float.intBitsToFloat((data[b] & 0xff) | (data[b + 1] & 0xff) << 8
                                | (data[b + 2] & 0xff) << 16 | (data[b + 3] & 0xff) << 24);
                    }
                } else {
                    Map<String, Object> qm = object(q, src, wWhere + ".quantization");
                    if (!"uint8".equals(qm.get("dtype"))) {
                        throw new IllegalArgumentException(src + ": " + wWhere + " is quantised as "
                                + qm.get("dtype") + "; only uint8 quantisation (w = q * scale + min) is supported");
                    }
                    double min = number(qm.get("min"), src, wWhere + ".quantization.min");
                    double scale = number(qm.get("scale"), src, wWhere + ".quantization.scale");
                    bytes = n;
                    need(data, offset, bytes, src, wWhere);
                    for (int i = 0; i < n; i++) {
                        values[i] = (float) ((data[offset + i] & 0xff) * scale + min);
                    }
                }
                offset += bytes;
                if (out.put(name, new Tensor(name, shape, values)) != null) {
                    throw new IllegalArgumentException(src + ": weight '" + name + "' appears twice in the manifest");
                }
            }
            if (offset != data.length) {
                throw new IllegalArgumentException(src + ": " + where + ": the weights take " + offset
                        + " bytes, the shards hold " + data.length);
            }
        }
        return out;
    }

    /** The bytes of shard {@code path}: {@code path.min.js} (a base64 string bundle) or the raw file {@code path}. */
    private static byte[] shard(Path dir, String path) throws IOException {
        if (path.contains("/") || path.contains("\\") || path.startsWith(".")) {
            throw new IllegalArgumentException(dir + ": shard path '" + path + "' leaves the model directory");
        }
        Path bundle = dir.resolve(path + ".min.js");
        if (Files.isRegularFile(bundle)) {
            Object v = JsLiteral.moduleExports(Files.readString(bundle, StandardCharsets.US_ASCII), bundle.toString());
            if (!(v instanceof String b64)) {
                throw new IllegalArgumentException(bundle + ": exports " + JsLiteral.kind(v)
                        + ", expected the shard as a base64 string");
            }
            try {
                return Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(bundle + ": the exported string is not base64 (" + e.getMessage() + ")", e);
            }
        }
        Path raw = dir.resolve(path);
        if (Files.isRegularFile(raw)) {
            return Files.readAllBytes(raw);
        }
        throw new IllegalArgumentException(dir + ": weight shard '" + path + "' not found (looked for " + bundle
                + " and " + raw + ")");
    }

    private static void need(byte[] data, int offset, int bytes, String src, String where) {
        if (offset + (long) bytes > data.length) {
            throw new IllegalArgumentException(src + ": " + where + " needs bytes [" + offset + ", "
                    + (offset + (long) bytes) + "), the shards hold " + data.length);
        }
    }

    private static int[] shape(List<Object> dims, String src, String where) {
        int[] s = new int[dims.size()];
        for (int i = 0; i < s.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 1 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(src + ": " + where + ": shape " + dims + " is not a list of positive integers");
            }
            s[i] = (int) (long) d;
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o, String src, String what) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(src + ": " + what + " is " + JsLiteral.kind(o) + ", expected an object");
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o, String src, String what) {
        if (!(o instanceof List)) {
            throw new IllegalArgumentException(src + ": " + what + " is " + JsLiteral.kind(o) + ", expected an array");
        }
        return (List<Object>) o;
    }

    static String string(Object o, String src, String what) {
        if (!(o instanceof String s)) {
            throw new IllegalArgumentException(src + ": " + what + " is " + JsLiteral.kind(o) + ", expected a string");
        }
        return s;
    }

    static double number(Object o, String src, String what) {
        if (!(o instanceof Number n)) {
            throw new IllegalArgumentException(src + ": " + what + " is " + JsLiteral.kind(o) + ", expected a number");
        }
        return n.doubleValue();
    }
}
