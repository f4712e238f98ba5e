package org.loes4j.encoders.bert;

import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.concurrent.LinalgExecutor;

/**
 * A BERT encoder's forward pass in float32: the linear maps through {@link Linalg#gemm}, the per-head
 * attention products through {@link AttentionKernel}.
 *
 * <p>For a batch of B sequences of real lengths len_b (width d, h heads of width d/h), only the real
 * tokens are computed: every per-token step runs on a packed matrix of T = sum_b len_b rows, sample b
 * occupying rows [o_b, o_b + len_b) with o_b = len_0 + ... + len_{b-1} ({@link TokenBatch#rowOffset}):
 * <pre>
 *   H0[o_b + s] = LayerNorm(E_word[id_b,s] + E_pos[s] + E_type[0])                 embeddings, T x d
 *   for each block l = 1..L:
 *     [Q K V] = H W_qkv + b_qkv                                                     T x 3d
 *     per sample b, head j:  A = softmax(Q_bj K_bj^T / sqrt(d/h))                    len_b x len_b
 *                            C_bj = A V_bj                                           len_b x d/h
 *     H' = LayerNorm(H + C W_o + b_o)                                               attention + residual
 *     H  = LayerNorm(H' + gelu(H' W_i + b_i) W_2 + b_2)                              FFN + residual
 * </pre>
 * where Q_bj is the head-j column slice of sample b's rows. This equals the padded computation of the
 * reference implementation on every real position: its attention mask gives the padded keys weight 0,
 * and all other steps act on each row alone; the padded query rows it also computes are never read by
 * pooling, so they are skipped here (30% of the positions of the end-to-end benchmark's length-sorted
 * batches of real sentences are padding).
 *
 * <p>Instances are immutable and thread-safe; each {@link #forward} call allocates its own work buffers.
 */
public final class BertModel {
    /** Per-thread work space of the attention kernel, grown on demand and reused across calls. */
    private static final ThreadLocal<float[][]> ATTENTION_SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);
    /** Rows per task when element-wise steps (LayerNorm, GELU, bias) are spread over threads. */
    private static final int ROWS_PER_TASK = 32;

    private final BertWeights weights;
    private final BertConfig config;
    private final Linalg linalg;
    private final AttentionKernel attention;

    public BertModel(BertWeights weights, Linalg linalg) {
        if (weights == null) {
            throw new IllegalArgumentException("weights: null");
        }
        if (linalg == null) {
            throw new IllegalArgumentException("linalg: null");
        }
        this.weights = weights;
        this.config = weights.config();
        this.linalg = linalg;
        this.attention = AttentionKernel.forBackends(linalg.backends());
    }

    public BertConfig config() {
        return config;
    }

    public BertWeights weights() {
        return weights;
    }

    /**
     * Runs the encoder on {@code batch} and hands every hidden state to {@code sink} (index 0 the
     * embedding output, index k the output of block k - 1), each as the packed T x d matrix of the real
     * tokens described in {@link HiddenStateSink#accept}.
     *
     * @throws IllegalArgumentException when a token id is outside the vocabulary or the batch is longer
     *                                  than the position table
     */
    public void forward(TokenBatch batch, HiddenStateSink sink) {
        forward(batch, sink, new StageTimes());
    }

    /**
     * Wall-clock time spent per kind of step, accumulated over {@link #forward(TokenBatch, HiddenStateSink,
     * StageTimes)} calls (for benchmark breakdowns; the sink's own time is excluded).
     */
    public static final class StageTimes {
        long linearNanos;
        long attentionNanos;
        long otherNanos;

        /** The four linear maps per block (GEMM plus bias). */
        public long linearNanos() {
            return linearNanos;
        }

        /** Scores, softmax and weighted values. */
        public long attentionNanos() {
            return attentionNanos;
        }

        /** Embeddings, LayerNorms, GELU. */
        public long otherNanos() {
            return otherNanos;
        }
    }

    /** {@link #forward(TokenBatch, HiddenStateSink)}, adding each step's wall-clock time to {@code times}. */
    public void forward(TokenBatch batch, HiddenStateSink sink, StageTimes times) {
        if (times == null) {
            throw new IllegalArgumentException("times: null");
        }
        if (batch == null) {
            throw new IllegalArgumentException("batch: null");
        }
        if (sink == null) {
            throw new IllegalArgumentException("sink: null");
        }
        if (batch.seqLen() > config.maxPositions()) {
            throw new IllegalArgumentException("batch: sequence length " + batch.seqLen() + " exceeds the model's "
                    + config.maxPositions() + " positions");
        }
        int[] ids = batch.inputIds();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("batch: token id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + config.vocabSize() + ")");
            }
        }
        int[] offsets = batch.rowOffsets();
        int t = offsets[batch.size()];
        int d = config.hidden();
        FMatrix hidden = FMatrix.zeros(t, d);
        FMatrix qkv = FMatrix.zeros(t, 3 * d);
        FMatrix context = FMatrix.zeros(t, d);
        FMatrix attended = FMatrix.zeros(t, d);
        FMatrix ffn = FMatrix.zeros(t, config.intermediate());

        long t0 = System.nanoTime();
        embed(batch, offsets, hidden);
        long t1 = System.nanoTime();
        times.otherNanos += t1 - t0;
        sink.accept(0, hidden, batch);
        for (int l = 0; l < config.layers(); l++) {
            BertWeights.Block block = weights.blocks().get(l);
            t0 = System.nanoTime();
            linear(hidden, block.queryKeyValue(), qkv);
            t1 = System.nanoTime();
            selfAttention(batch, offsets, qkv, context);
            long t2 = System.nanoTime();
            linear(context, block.attentionOutput(), attended);
            long t3 = System.nanoTime();
            addAndNormalize(attended, hidden, block.attentionNorm());
            long t4 = System.nanoTime();
            linear(attended, block.intermediate(), ffn);
            long t5 = System.nanoTime();
            gelu(ffn);
            long t6 = System.nanoTime();
            linear(ffn, block.output(), hidden);
            long t7 = System.nanoTime();
            addAndNormalize(hidden, attended, block.outputNorm());
            long t8 = System.nanoTime();
            times.linearNanos += (t1 - t0) + (t3 - t2) + (t5 - t4) + (t7 - t6);
            times.attentionNanos += t2 - t1;
            times.otherNanos += (t4 - t3) + (t6 - t5) + (t8 - t7);
            sink.accept(l + 1, hidden, batch);
        }
    }

    // ------------------------------------------------------------------ the steps

    /** {@code out[offsets[b] + s] = LayerNorm(word[id(b, s)] + position[s] + type[0])} for s < len_b. */
    private void embed(TokenBatch batch, int[] offsets, FMatrix out) {
        int seqLen = batch.seqLen();
        int d = config.hidden();
        float[] word = weights.wordEmbeddings().data();
        float[] pos = weights.positionEmbeddings().data();
        float[] type = weights.tokenTypeEmbeddings().data();
        float[] o = out.data();
        int[] ids = batch.inputIds();
        int[] lengths = batch.lengths();
        for (int b = 0; b < batch.size(); b++) {
            for (int s = 0; s < lengths[b]; s++) {
                int w = ids[b * seqLen + s] * d;
                int p = s * d;
                int r = (offsets[b] + s) * d;
                for (int j = 0; j < d; j++) {
                    o[r + j] = word[w + j] + pos[p + j] + type[j];
                }
            }
        }
        parallelRows(out.rows(), (from, to) -> layerNorm(o, from, to, d, weights.embeddingNorm()));
    }

    /** {@code y = x W + b} (y overwritten). */
    private void linear(FMatrix x, BertWeights.Linear layer, FMatrix y) {
        float[] b = layer.bias();
        float[] yd = y.data();
        int n = y.cols();
        for (int i = 0; i < y.rows(); i++) {
            System.arraycopy(b, 0, yd, i * n, n);
        }
        linalg.gemm(Transpose.NO, Transpose.NO, 1f, x, layer.weight(), 1f, y);
    }

    /**
     * Scaled dot-product attention per sample and head, on strided head slices of the fused Q|K|V rows:
     * {@code context[rows of b, head j] = softmax(Q K^T / sqrt(dh)) V} over sample b's own packed rows
     * ({@link AttentionKernel}, len_b queries and len_b keys); the (sample, head) pairs are spread over the
     * library's threads.
     */
    private void selfAttention(TokenBatch batch, int[] offsets, FMatrix qkv, FMatrix context) {
        int d = config.hidden();
        int heads = config.heads();
        int dh = config.headDim();
        float scale = (float) (1.0 / Math.sqrt(dh));
        float[] qkvData = qkv.data();
        float[] ctxData = context.data();
        int[] lengths = batch.lengths();
        int rowStride = 3 * d;
        LinalgExecutor.parallelFor(batch.size() * heads, task -> {
            int b = task / heads;
            int j = task % heads;
            int len = lengths[b];
            int q = offsets[b] * rowStride + j * dh;
            float[] scratch = scratch(attention.scratchLength(len, dh));
            attention.attend(qkvData, q, q + d, q + 2 * d, rowStride, len, len, dh, scale,
                    ctxData, offsets[b] * d + j * dh, d, scratch);
        });
    }

    /** This thread's attention scratch array, grown to at least n floats. */
    private static float[] scratch(int n) {
        float[][] holder = ATTENTION_SCRATCH.get();
        if (holder[0].length < n) {
            holder[0] = new float[n];
        }
        return holder[0];
    }

    /** {@code x = LayerNorm(x + residual)}, row by row, in place in x. */
    private void addAndNormalize(FMatrix x, FMatrix residual, BertWeights.Norm norm) {
        float[] xd = x.data();
        float[] rd = residual.data();
        int d = x.cols();
        parallelRows(x.rows(), (from, to) -> {
            for (int i = from * d; i < to * d; i++) {
                xd[i] += rd[i];
            }
            layerNorm(xd, from, to, d, norm);
        });
    }

    private void gelu(FMatrix x) {
        float[] a = x.data();
        int n = x.cols();
        parallelRows(x.rows(), (from, to) -> Gelu.applyInPlace(a, from * n, to * n));
    }

    // ------------------------------------------------------------------ element-wise kernels

    /**
     * {@code y = (x - mean) / sqrt(var + eps) * gamma + beta} for rows [from, to) of a contiguous
     * row-major array of width d; mean and (population) variance accumulated in double.
     */
    private void layerNorm(float[] a, int from, int to, int d, BertWeights.Norm norm) {
        float[] gamma = norm.gamma();
        float[] beta = norm.beta();
        double eps = config.layerNormEps();
        for (int row = from; row < to; row++) {
            int o = row * d;
            double sum = 0;
            for (int j = 0; j < d; j++) {
                sum += a[o + j];
            }
            double mean = sum / d;
            double sq = 0;
            for (int j = 0; j < d; j++) {
                double c = a[o + j] - mean;
                sq += c * c;
            }
            float inv = (float) (1.0 / Math.sqrt(sq / d + eps));
            float m = (float) mean;
            for (int j = 0; j < d; j++) {
                a[o + j] = (a[o + j] - m) * inv * gamma[j] + beta[j];
            }
        }
    }

    @FunctionalInterface
    private interface RowRange {
        void apply(int from, int to);
    }

    /** Splits [0, rows) into chunks of {@link #ROWS_PER_TASK} spread over the library's threads. */
    private static void parallelRows(int rows, RowRange body) {
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        LinalgExecutor.parallelFor(tasks, task -> {
            int from = task * ROWS_PER_TASK;
            body.apply(from, Math.min(rows, from + ROWS_PER_TASK));
        });
    }
}
