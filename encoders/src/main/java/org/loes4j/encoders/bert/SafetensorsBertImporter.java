package org.loes4j.encoders.bert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Safetensors;

/**
 * Maps a Hugging Face BERT checkpoint in {@code .safetensors} form onto {@link BertWeights}: PyTorch
 * names ({@code encoder.layer.3.attention.self.query.weight}, optionally under {@code bert.}), linear
 * weights stored {@code out x in} (transposed here). A checkpoint carries no graph, so the head count
 * and LayerNorm epsilon come from the {@code config.json} beside the file ({@code num_attention_heads},
 * {@code layer_norm_eps}), or from the caller's hint.
 */
public final class SafetensorsBertImporter {
    private final Safetensors file;
    private final String prefix;

    private SafetensorsBertImporter(Safetensors file) {
        this.file = file;
        if (file.contains("embeddings.word_embeddings.weight")) {
            prefix = "";
        } else if (file.contains("bert.embeddings.word_embeddings.weight")) {
            prefix = "bert.";
        } else {
            throw new IllegalArgumentException(file.file() + ": not a BERT checkpoint: no tensor "
                    + "'embeddings.word_embeddings.weight' (nor under 'bert.')");
        }
    }

    /**
     * Reads the BERT weights of {@code file}; heads and epsilon from {@code config.json} beside it, else
     * {@code headsHint} (0: none, then a missing config.json is an error) and BERT's default epsilon.
     */
    public static BertWeights load(Safetensors file, int headsHint) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file: null");
        }
        if (headsHint < 0) {
            throw new IllegalArgumentException("headsHint: " + headsHint + " is negative");
        }
        int heads = headsHint;
        float eps = OnnxBertImporter.DEFAULT_LAYER_NORM_EPS;
        Path config = file.file().toAbsolutePath().resolveSibling("config.json");
        if (Files.isRegularFile(config)) {
            Map<String, Object> c = Json.parseObject(Files.readString(config));
            if (c.get("num_attention_heads") instanceof Long h) {
                if (h < 1 || h > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(config + ": num_attention_heads " + h + " is not a head count");
                }
                heads = (int) (long) h;
            }
            if (c.get("layer_norm_eps") instanceof Number e) {
                eps = e.floatValue();
            }
        }
        if (heads <= 0) {
            throw new IllegalArgumentException(file.file() + ": cannot tell the number of attention heads: no "
                    + "config.json with num_attention_heads beside it");
        }
        return new SafetensorsBertImporter(file).read(heads, eps);
    }

    private BertWeights read(int heads, float eps) {
        FMatrix word = matrix("embeddings.word_embeddings.weight");
        FMatrix position = matrix("embeddings.position_embeddings.weight");
        FMatrix type = matrix("embeddings.token_type_embeddings.weight");
        int hidden = word.cols();
        int layers = 0;
        while (file.contains(prefix + "encoder.layer." + layers + ".attention.self.query.weight")) {
            layers++;
        }
        if (layers == 0) {
            throw new IllegalArgumentException(file.file() + ": no transformer blocks (no tensor '" + prefix
                    + "encoder.layer.0.attention.self.query.weight')");
        }
        List<BertWeights.Block> blocks = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            String p = "encoder.layer." + i + ".";
            blocks.add(new BertWeights.Block(
                    BertWeights.fuseQueryKeyValue(linear(p + "attention.self.query"), linear(p + "attention.self.key"),
                            linear(p + "attention.self.value")),
                    linear(p + "attention.output.dense"),
                    norm(p + "attention.output.LayerNorm"),
                    linear(p + "intermediate.dense"),
                    linear(p + "output.dense"),
                    norm(p + "output.LayerNorm")));
        }
        BertConfig config = new BertConfig(word.rows(), hidden, layers, heads,
                blocks.getFirst().intermediate().weight().cols(), position.rows(), type.rows(), eps);
        return new BertWeights(config, word, position, type, norm("embeddings.LayerNorm"), blocks);
    }

    /** The tensor {@code prefix + name}, checked present so that a missing weight is named as such. */
    private Safetensors.TensorInfo tensor(String name) {
        if (!file.contains(prefix + name)) {
            throw new IllegalArgumentException(file.file() + ": missing weight '" + prefix + name + "'");
        }
        return file.info(prefix + name);
    }

    private FMatrix matrix(String name) {
        Safetensors.TensorInfo t = tensor(name);
        long[] s = t.shape();
        if (s.length != 2) {
            throw new IllegalArgumentException(file.file() + ": weight '" + t.name() + "' has rank " + s.length
                    + ", expected 2");
        }
        return FMatrix.wrap(file.floats(t.name()), (int) s[0], (int) s[1]);
    }

    /** {@code <layer>.weight} (out x in, transposed to in x out) and {@code <layer>.bias}. */
    private BertWeights.Linear linear(String layer) {
        FMatrix w = matrix(layer + ".weight");
        float[] b = floats(layer + ".bias");
        if (b.length != w.rows()) {
            throw new IllegalArgumentException(file.file() + ": bias '" + prefix + layer + ".bias' has " + b.length
                    + " elements, the weight has " + w.rows() + " outputs");
        }
        return new BertWeights.Linear(w.transposeCopy(), b);
    }

    private BertWeights.Norm norm(String layer) {
        boolean named = file.contains(prefix + layer + ".weight");
        return new BertWeights.Norm(floats(layer + (named ? ".weight" : ".gamma")),
                floats(layer + (named ? ".bias" : ".beta")));
    }

    /** The elements of {@code prefix + name} as float32 (F16 and BF16 widened). */
    private float[] floats(String name) {
        return file.floats(tensor(name).name());
    }
}
