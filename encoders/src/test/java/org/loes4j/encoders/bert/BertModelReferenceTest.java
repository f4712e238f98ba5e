package org.loes4j.encoders.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loes4j.encoders.KnownModel;
import org.loes4j.encoders.ModelFiles;
import org.loes4j.encoders.TestModels;
import org.loes4j.encoders.onnx.OnnxModel;
import org.loes4j.encoders.tokenizer.WordPieceTokenizer;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;

/**
 * The forward pass against ONNX Runtime on the same model file, every hidden state, one padded batch of
 * real sentences of mixed lengths. Token ids come from Hugging Face's tokenizer (DJL), so this test
 * checks the encoder alone.
 *
 * <p>Our encoder computes the real positions only (packed rows, {@link HiddenStateSink}); ONNX Runtime
 * computes the padded batch. Packed row {@code rowOffset(b) + t} is compared with ONNX Runtime's
 * position t of sample b, for every real position (attention mask 1), the only ones pooling reads.
 */
class BertModelReferenceTest {
    /** Max |difference| allowed per hidden state (issue 5). */
    private static final double MAX_ABS_DIFF = 1e-4;

    @Test
    void miniLmMatchesOnnxRuntimeOnEveryHiddenState() throws Exception {
        double[] diffs = compare(KnownModel.ALL_MINILM_L6_V2, 0, 9);
        assertEquals(7, diffs.length);
    }

    @Test
    void miniLmMatchesOnnxRuntimeOnLongPassages() throws Exception {
        // ~400-token rows: attention takes the one-head-at-a-time path with parallel GEMMs inside.
        double[] diffs = compare(KnownModel.ALL_MINILM_L6_V2, 301, 3);
        assertEquals(7, diffs.length);
    }

    @Test
    void bgeSmallMatchesOnnxRuntimeOnEveryHiddenState() throws Exception {
        double[] diffs = compare(KnownModel.BGE_SMALL_EN_V15, 40, 12);
        assertEquals(13, diffs.length);
    }

    private static double[] compare(KnownModel known, int firstSentence, int count) throws Exception {
        ModelFiles files = TestModels.files(known);
        BertWeights weights;
        try (OnnxModel onnx = OnnxModel.open(files.weights())) {
            weights = OnnxBertImporter.load(onnx, 0);
        }
        BertConfig c = weights.config();
        assertEquals(known.heads(), c.heads(), "heads read from the graph");
        assertEquals(1e-12f, c.layerNormEps(), 1e-15f, "LayerNorm eps read from the graph");
        TokenBatch batch = batch(files.tokenizer(), TestModels.sentences().subList(firstSentence, firstSentence + count));
        assertTrue(Arrays.stream(batch.lengths()).distinct().count() > 2, "mixed lengths " + batch);

        BertModel model = new BertModel(weights, Linalg.get());
        List<float[]> ours = new ArrayList<>();
        model.forward(batch, (k, states, b) -> {
            assertEquals(b.realTokens(), states.rows(), "packed rows of state " + k);
            assertEquals(c.hidden(), states.cols(), "width of state " + k);
            ours.add(states.copy().data());
        });

        float[][][][] ref;
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(files.weights(), c.layers())) {
            ref = ort.run(batch);
        }
        assertEquals(c.hiddenStates(), ours.size());
        assertEquals(c.hiddenStates(), ref.length);
        double[] diffs = new double[ours.size()];
        int d = c.hidden();
        for (int k = 0; k < ours.size(); k++) {
            float[] mine = ours.get(k);
            double worst = 0;
            for (int b = 0; b < batch.size(); b++) {
                int first = batch.rowOffset(b);
                for (int t = 0; t < batch.lengths()[b]; t++) {
                    for (int j = 0; j < d; j++) {
                        worst = Math.max(worst, Math.abs(mine[(first + t) * d + j] - ref[k][b][t][j]));
                    }
                }
            }
            diffs[k] = worst;
        }
        System.out.println(known.modelName() + " " + batch + " max |ours - onnxruntime| per hidden state: "
                + Arrays.toString(diffs));
        for (int k = 0; k < diffs.length; k++) {
            assertTrue(diffs[k] <= MAX_ABS_DIFF, "hidden state " + k + ": max abs diff " + diffs[k]);
        }
        return diffs;
    }

    /** Hugging Face token ids of the sentences, right-padded with 0 to the longest. */
    static TokenBatch batch(Path tokenizerJson, List<String> texts) throws Exception {
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(tokenizerJson,
                Map.of("truncation", "false", "padding", "false"))) {
            List<long[]> rows = new ArrayList<>();
            int s = 0;
            for (String t : texts) {
                long[] ids = hf.encode(t).getIds();
                rows.add(ids);
                s = Math.max(s, ids.length);
            }
            int[] ids = new int[texts.size() * s];
            int[] lengths = new int[texts.size()];
            for (int b = 0; b < rows.size(); b++) {
                long[] r = rows.get(b);
                lengths[b] = r.length;
                for (int t = 0; t < r.length; t++) {
                    ids[b * s + t] = Math.toIntExact(r[t]);
                }
            }
            return new TokenBatch(texts.size(), s, ids, lengths);
        }
    }

    /** Max |batched - alone| / max |alone| per sample and hidden state: float32 rounding of a different batch. */
    private static final double BATCHING_REL_TOL = 1e-5;

    @Test
    void everySampleOfAMixedLengthBatchEqualsTheSampleEncodedAlone() throws Exception {
        // Padding must not leak into real positions, and the packed row offsets must be right: lengths 3, 40
        // and 17 in one batch (S = 40), the short sample first so that a wrong offset or stride shows.
        ModelFiles files = TestModels.files(KnownModel.ALL_MINILM_L6_V2);
        BertWeights weights;
        try (OnnxModel onnx = OnnxModel.open(files.weights())) {
            weights = OnnxBertImporter.load(onnx, 0);
        }
        BertModel model = new BertModel(weights, Linalg.get());
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromJson(files.tokenizer());
        int[] wanted = {3, 40, 17};
        List<String> texts = TestModels.sentences();
        int[][] rows = new int[wanted.length][];
        int next = 0;
        for (int b = 0; b < wanted.length; b++) {
            while (tokenizer.encode(texts.get(next), 512).length() < wanted[b]) {
                next++;
            }
            rows[b] = tokenizer.encode(texts.get(next++), wanted[b]).ids();
            assertEquals(wanted[b], rows[b].length, "tokens of sample " + b);
        }
        int s = 40;
        int[] ids = new int[wanted.length * s];
        Arrays.fill(ids, tokenizer.padId());
        for (int b = 0; b < wanted.length; b++) {
            System.arraycopy(rows[b], 0, ids, b * s, rows[b].length);
        }
        TokenBatch mixed = new TokenBatch(wanted.length, s, ids, wanted.clone());
        assertEquals(0, mixed.rowOffset(0));
        assertEquals(3, mixed.rowOffset(1));
        assertEquals(43, mixed.rowOffset(2));

        List<FMatrix> batched = new ArrayList<>();
        model.forward(mixed, (k, st, b) -> batched.add(st.copy()));
        assertEquals(weights.config().hiddenStates(), batched.size());
        for (int b = 0; b < wanted.length; b++) {
            int len = wanted[b];
            TokenBatch alone = new TokenBatch(1, len, rows[b], new int[] {len});
            List<FMatrix> single = new ArrayList<>();
            model.forward(alone, (k, st, bb) -> single.add(st.copy()));
            for (int k = 0; k < single.size(); k++) {
                FMatrix one = single.get(k);
                FMatrix many = batched.get(k);
                assertEquals(len, one.rows(), "rows of sample " + b + " alone");
                assertEquals(60, many.rows(), "packed rows of the batch");
                double diff = 0;
                double scale = 0;
                for (int t = 0; t < len; t++) {
                    for (int j = 0; j < one.cols(); j++) {
                        float x = one.get(t, j);
                        diff = Math.max(diff, Math.abs(many.get(mixed.rowOffset(b) + t, j) - x));
                        scale = Math.max(scale, Math.abs(x));
                    }
                }
                assertTrue(diff <= BATCHING_REL_TOL * scale, "sample " + b + " (length " + len + ") state " + k
                        + ": max |batched - alone| " + diff + ", max |alone| " + scale);
            }
        }
    }
}
