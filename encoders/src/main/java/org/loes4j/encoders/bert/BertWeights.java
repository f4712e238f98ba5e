package org.loes4j.encoders.bert;

import java.util.List;
import org.loes4j.linalg.FMatrix;

/**
 * The parameters of a BERT encoder in the layout the forward pass multiplies with: every linear map is
 * stored {@code in x out}, so {@code y = x W + b} for a row-major batch x.
 *
 * @param config           shapes
 * @param wordEmbeddings   vocabSize x hidden
 * @param positionEmbeddings maxPositions x hidden
 * @param tokenTypeEmbeddings typeVocabSize x hidden
 * @param embeddingNorm    the LayerNorm after the embedding sum
 * @param blocks           one entry per transformer block, in order
 */
public record BertWeights(BertConfig config, FMatrix wordEmbeddings, FMatrix positionEmbeddings,
                          FMatrix tokenTypeEmbeddings, Norm embeddingNorm, List<Block> blocks) {

    public BertWeights {
        int h = config.hidden();
        shape("wordEmbeddings", wordEmbeddings, config.vocabSize(), h);
        shape("positionEmbeddings", positionEmbeddings, config.maxPositions(), h);
        shape("tokenTypeEmbeddings", tokenTypeEmbeddings, config.typeVocabSize(), h);
        embeddingNorm.check("embeddingNorm", h);
        blocks = List.copyOf(blocks);
        if (blocks.size() != config.layers()) {
            throw new IllegalArgumentException("blocks: " + blocks.size() + " given, config has " + config.layers());
        }
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).check("blocks[" + i + "]", config);
        }
    }

    /** A linear map {@code y = x weight + bias}, weight {@code in x out}. */
    public record Linear(FMatrix weight, float[] bias) {
        void check(String name, int in, int out) {
            shape(name + ".weight", weight, in, out);
            if (bias.length != out) {
                throw new IllegalArgumentException(name + ".bias: length " + bias.length + ", expected " + out);
            }
        }
    }

    /** A LayerNorm's scale (gamma) and shift (beta). */
    public record Norm(float[] gamma, float[] beta) {
        void check(String name, int width) {
            if (gamma.length != width || beta.length != width) {
                throw new IllegalArgumentException(name + ": gamma/beta lengths " + gamma.length + "/" + beta.length
                        + ", expected " + width);
            }
        }
    }

    /**
     * One transformer block.
     *
     * @param queryKeyValue the query, key and value projections side by side: hidden x (3 hidden), columns
     *                      [0, d) query, [d, 2d) key, [2d, 3d) value (one GEMM instead of three)
     * @param attentionOutput hidden x hidden
     * @param attentionNorm LayerNorm after the attention residual
     * @param intermediate  hidden x intermediate (followed by GELU)
     * @param output        intermediate x hidden
     * @param outputNorm    LayerNorm after the FFN residual
     */
    public record Block(Linear queryKeyValue, Linear attentionOutput, Norm attentionNorm, Linear intermediate,
                        Linear output, Norm outputNorm) {
        void check(String name, BertConfig c) {
            int h = c.hidden();
            queryKeyValue.check(name + ".queryKeyValue", h, 3 * h);
            attentionOutput.check(name + ".attentionOutput", h, h);
            attentionNorm.check(name + ".attentionNorm", h);
            intermediate.check(name + ".intermediate", h, c.intermediate());
            output.check(name + ".output", c.intermediate(), h);
            outputNorm.check(name + ".outputNorm", h);
        }
    }

    /** The query, key and value maps side by side (one GEMM instead of three). */
    static Linear fuseQueryKeyValue(Linear q, Linear k, Linear v) {
        int in = q.weight().rows();
        int d = q.weight().cols();
        FMatrix w = FMatrix.zeros(in, 3 * d);
        w.view(0, 0, in, d).copyFrom(q.weight());
        w.view(0, d, in, d).copyFrom(k.weight());
        w.view(0, 2 * d, in, d).copyFrom(v.weight());
        float[] b = new float[3 * d];
        System.arraycopy(q.bias(), 0, b, 0, d);
        System.arraycopy(k.bias(), 0, b, d, d);
        System.arraycopy(v.bias(), 0, b, 2 * d, d);
        return new Linear(w, b);
    }

    private static void shape(String name, FMatrix m, int rows, int cols) {
        if (m.rows() != rows || m.cols() != cols) {
            throw new IllegalArgumentException(name + ": shape " + m.shape() + ", expected " + rows + " x " + cols);
        }
    }
}
