package org.loes4j.encoders.bert;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.loes4j.encoders.onnx.OnnxFormatException;
import org.loes4j.encoders.onnx.OnnxModel;
import org.loes4j.encoders.onnx.OnnxNode;
import org.loes4j.encoders.onnx.OnnxTensor;
import org.loes4j.linalg.FMatrix;

/**
 * Maps the initializers of an ONNX export of a Hugging Face BERT model onto {@link BertWeights}.
 *
 * <p>Weights are looked up by their PyTorch names ({@code encoder.layer.3.attention.self.query.weight},
 * optionally under a {@code bert.} prefix). Exporters often store a linear layer's weight under a
 * generated name ({@code onnx::MatMul_1525}, already transposed to {@code in x out}); such a weight is
 * found by graph structure: the bias {@code <layer>.bias} is added to the output of a {@code MatMul}
 * whose other input is the weight. The head count is read from the graph's reshape of the query
 * projection to {@code [batch, seq, heads, headDim]}; the LayerNorm epsilon from the constant added to
 * the variance. Anything missing is reported by name.
 */
public final class OnnxBertImporter {
    /** BERT's default LayerNorm epsilon, used when the graph does not show it. */
    public static final float DEFAULT_LAYER_NORM_EPS = 1e-12f;

    private final OnnxModel model;
    private final String prefix;

    private OnnxBertImporter(OnnxModel model) {
        this.model = model;
        this.prefix = findPrefix(model);
    }

    /**
     * Reads the BERT weights of {@code model}.
     *
     * @param headsHint the head count to use when the graph does not show it (0: none; then a graph
     *                  without the reshape is rejected)
     * @throws OnnxFormatException naming the first missing or malformed weight
     */
    public static BertWeights load(OnnxModel model, int headsHint) {
        if (model == null) {
            throw new IllegalArgumentException("model: null");
        }
        if (headsHint < 0) {
            throw new IllegalArgumentException("headsHint: " + headsHint + " is negative");
        }
        return new OnnxBertImporter(model).read(headsHint);
    }

    private static String findPrefix(OnnxModel model) {
        for (String p : new String[] {"", "bert."}) {
            if (model.initializers().containsKey(p + "embeddings.word_embeddings.weight")) {
                return p;
            }
        }
        throw new OnnxFormatException(model.path() + ": not a BERT graph this reader supports: no initializer "
                + "'embeddings.word_embeddings.weight' (nor 'bert.embeddings.word_embeddings.weight')");
    }

    private BertWeights read(int headsHint) {
        FMatrix word = matrix("embeddings.word_embeddings.weight");
        FMatrix position = matrix("embeddings.position_embeddings.weight");
        FMatrix type = matrix("embeddings.token_type_embeddings.weight");
        int hidden = word.cols();
        BertWeights.Norm embNorm = norm("embeddings.LayerNorm", hidden);

        int layers = 0;
        while (model.initializers().containsKey(prefix + "encoder.layer." + layers + ".attention.self.query.bias")
                || model.initializers().containsKey(prefix + "encoder.layer." + layers + ".attention.self.query.weight")) {
            layers++;
        }
        if (layers == 0) {
            throw new OnnxFormatException(model.path() + ": no transformer blocks found (no initializer '" + prefix
                    + "encoder.layer.0.attention.self.query.bias')");
        }
        List<BertWeights.Block> blocks = new ArrayList<>(layers);
        int intermediate = -1;
        for (int i = 0; i < layers; i++) {
            String p = "encoder.layer." + i + ".";
            BertWeights.Linear q = linear(p + "attention.self.query", hidden, hidden);
            BertWeights.Linear k = linear(p + "attention.self.key", hidden, hidden);
            BertWeights.Linear v = linear(p + "attention.self.value", hidden, hidden);
            BertWeights.Linear inter = linear(p + "intermediate.dense", hidden, -1);
            if (intermediate < 0) {
                intermediate = inter.weight().cols();
            }
            blocks.add(new BertWeights.Block(BertWeights.fuseQueryKeyValue(q, k, v),
                    linear(p + "attention.output.dense", hidden, hidden),
                    norm(p + "attention.output.LayerNorm", hidden),
                    inter,
                    linear(p + "output.dense", intermediate, hidden),
                    norm(p + "output.LayerNorm", hidden)));
        }
        int heads = heads(hidden, headsHint);
        float eps = layerNormEps();
        BertConfig config = new BertConfig(word.rows(), hidden, layers, heads, intermediate, position.rows(),
                type.rows(), eps);
        return new BertWeights(config, word, position, type, embNorm, blocks);
    }

    // ------------------------------------------------------------------ weights by name or structure

    private OnnxTensor tensor(String name) {
        return model.initializer(prefix + name).orElseThrow(() -> new OnnxFormatException(model.path()
                + ": missing weight '" + prefix + name + "'"));
    }

    private FMatrix matrix(String name) {
        OnnxTensor t = tensor(name);
        if (t.rank() != 2) {
            throw new OnnxFormatException(model.path() + ": weight '" + t.name() + "' has rank " + t.rank()
                    + ", expected 2");
        }
        return FMatrix.wrap(t.toFloatArray(), (int) t.dim(0), (int) t.dim(1));
    }

    private float[] vector(String name, int length) {
        OnnxTensor t = tensor(name);
        float[] v = t.toFloatArray();
        if (v.length != length) {
            throw new OnnxFormatException(model.path() + ": weight '" + t.name() + "' has " + v.length
                    + " elements, expected " + length);
        }
        return v;
    }

    private BertWeights.Norm norm(String layer, int hidden) {
        String g = model.initializers().containsKey(prefix + layer + ".weight") ? ".weight" : ".gamma";
        String b = model.initializers().containsKey(prefix + layer + ".bias") ? ".bias" : ".beta";
        return new BertWeights.Norm(vector(layer + g, hidden), vector(layer + b, hidden));
    }

    /**
     * The linear layer {@code layer} as {@code in x out}: {@code <layer>.weight} (PyTorch's out x in,
     * transposed here) or, failing that, the initializer the graph multiplies by before adding
     * {@code <layer>.bias}. {@code out < 0} accepts any width.
     */
    private BertWeights.Linear linear(String layer, int in, int out) {
        OnnxTensor bias = tensor(layer + ".bias");
        int width = (int) bias.elementCount();
        if (out >= 0 && width != out) {
            throw new OnnxFormatException(model.path() + ": bias '" + bias.name() + "' has " + width
                    + " elements, expected " + out);
        }
        FMatrix weight;
        Optional<OnnxTensor> named = model.initializer(prefix + layer + ".weight");
        if (named.isPresent()) {
            FMatrix w = toMatrix(named.get());
            checkShape(named.get(), w, width, in);
            weight = w.transposeCopy();
        } else {
            OnnxTensor w = weightFeedingBias(bias).orElseThrow(() -> new OnnxFormatException(model.path()
                    + ": missing weight for '" + prefix + layer + "': no initializer '" + prefix + layer
                    + ".weight' and no MatMul by an initializer whose output is added to '" + bias.name() + "'"));
            weight = toMatrix(w);
            checkShape(w, weight, in, width);
        }
        return new BertWeights.Linear(weight, bias.toFloatArray());
    }

    private Optional<OnnxTensor> weightFeedingBias(OnnxTensor bias) {
        for (OnnxNode add : model.consumers(bias.name())) {
            if (!add.opType().equals("Add") || add.inputs().size() != 2) {
                continue;
            }
            String other = add.input(0).equals(bias.name()) ? add.input(1) : add.input(0);
            Optional<OnnxNode> mm = model.producer(other);
            if (mm.isEmpty() || !mm.get().opType().equals("MatMul")) {
                continue;
            }
            Optional<OnnxTensor> w = model.initializer(mm.get().input(1));
            if (w.isPresent()) {
                return w;
            }
        }
        return Optional.empty();
    }

    private FMatrix toMatrix(OnnxTensor t) {
        if (t.rank() != 2) {
            throw new OnnxFormatException(model.path() + ": weight '" + t.name() + "' has rank " + t.rank()
                    + ", expected 2");
        }
        return FMatrix.wrap(t.toFloatArray(), (int) t.dim(0), (int) t.dim(1));
    }

    private void checkShape(OnnxTensor t, FMatrix m, int rows, int cols) {
        if (m.rows() != rows || m.cols() != cols) {
            throw new OnnxFormatException(model.path() + ": weight '" + t.name() + "' is " + m.shape()
                    + ", expected " + rows + " x " + cols);
        }
    }

    // ------------------------------------------------------------------ hyper-parameters from the graph

    /**
     * Heads from the query's reshape: the value {@code query.bias + x W} is reshaped to
     * {@code [batch, seq, heads, headDim]}, the target shape either a constant or a Concat whose third
     * and fourth inputs are constants.
     */
    private int heads(int hidden, int headsHint) {
        Optional<int[]> fromGraph = headsFromGraph();
        if (fromGraph.isPresent()) {
            int[] hd = fromGraph.get();
            if (hd[0] * hd[1] != hidden) {
                throw new OnnxFormatException(model.path() + ": the query reshape gives " + hd[0] + " heads of "
                        + hd[1] + ", which does not match hidden size " + hidden);
            }
            if (headsHint > 0 && headsHint != hd[0]) {
                throw new OnnxFormatException(model.path() + ": the graph has " + hd[0] + " attention heads, the "
                        + "model's known configuration says " + headsHint);
            }
            return hd[0];
        }
        if (headsHint > 0) {
            return headsHint;
        }
        throw new OnnxFormatException(model.path() + ": cannot tell the number of attention heads: no Reshape of "
                + "the query projection to [batch, seq, heads, headDim] with constant heads and headDim");
    }

    private Optional<int[]> headsFromGraph() {
        Optional<OnnxTensor> qBias = model.initializer(prefix + "encoder.layer.0.attention.self.query.bias");
        if (qBias.isEmpty()) {
            return Optional.empty();
        }
        for (OnnxNode add : model.consumers(qBias.get().name())) {
            if (!add.opType().equals("Add")) {
                continue;
            }
            for (OnnxNode reshape : model.consumers(add.outputs().get(0))) {
                if (!reshape.opType().equals("Reshape")) {
                    continue;
                }
                Optional<int[]> hd = headsFromShape(reshape.input(1));
                if (hd.isPresent()) {
                    return hd;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<int[]> headsFromShape(String shapeName) {
        Optional<OnnxTensor> constant = model.constant(shapeName);
        if (constant.isPresent()) {
            long[] s = constant.get().toLongArray();
            return s.length == 4 && s[2] > 0 && s[3] > 0 ? Optional.of(new int[] {(int) s[2], (int) s[3]})
                    : Optional.empty();
        }
        Optional<OnnxNode> concat = model.producer(shapeName);
        if (concat.isEmpty() || !concat.get().opType().equals("Concat") || concat.get().inputs().size() != 4) {
            return Optional.empty();
        }
        Optional<OnnxTensor> h = model.constant(concat.get().input(2));
        Optional<OnnxTensor> d = model.constant(concat.get().input(3));
        if (h.isEmpty() || d.isEmpty()) {
            return Optional.empty();
        }
        long[] hv = h.get().toLongArray();
        long[] dv = d.get().toLongArray();
        if (hv.length != 1 || dv.length != 1 || hv[0] <= 0 || dv[0] <= 0) {
            return Optional.empty();
        }
        return Optional.of(new int[] {(int) hv[0], (int) dv[0]});
    }

    /**
     * The epsilon of the embedding LayerNorm, traced from its scale: {@code Mul(Div(Sub, Sqrt(Add(var,
     * eps))), gamma)}; BERT's default when the decomposition differs (e.g. a fused LayerNormalization
     * node, whose {@code epsilon} attribute is used instead).
     */
    private float layerNormEps() {
        String gamma = prefix + "embeddings.LayerNorm.weight";
        for (OnnxNode n : model.consumers(gamma)) {
            if (n.opType().equals("LayerNormalization") && n.attributes().containsKey("epsilon")) {
                return n.attributes().get("epsilon").f();
            }
            if (!n.opType().equals("Mul")) {
                continue;
            }
            String normalized = n.input(0).equals(gamma) ? n.input(1) : n.input(0);
            Optional<OnnxNode> div = model.producer(normalized).filter(x -> x.opType().equals("Div"));
            Optional<OnnxNode> sqrt = div.flatMap(x -> model.producer(x.input(1))).filter(x -> x.opType().equals("Sqrt"));
            Optional<OnnxNode> add = sqrt.flatMap(x -> model.producer(x.input(0))).filter(x -> x.opType().equals("Add"));
            if (add.isPresent()) {
                for (String in : add.get().inputs()) {
                    Optional<OnnxTensor> c = model.constant(in);
                    if (c.isPresent() && c.get().dataType() == OnnxTensor.FLOAT && c.get().elementCount() == 1) {
                        float eps = c.get().scalarFloat();
                        if (eps > 0 && eps < 1e-2f) {
                            return eps;
                        }
                    }
                }
            }
        }
        return DEFAULT_LAYER_NORM_EPS;
    }
}
