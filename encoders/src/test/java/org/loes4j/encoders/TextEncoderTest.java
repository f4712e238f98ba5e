package org.loes4j.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.encoders.bert.TokenBatch;
import org.loes4j.encoders.tokenizer.BertNormalizer;
import org.loes4j.encoders.tokenizer.Encoding;
import org.loes4j.encoders.tokenizer.WordPieceTokenizer;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;

class TextEncoderTest {
    /** Float32 rounding allowed between two evaluations of the same text in different batches. */
    private static final float BATCHING_TOL = 2e-5f;

    private static TextEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        encoder = TextEncoder.load(TestModels.files(KnownModel.ALL_MINILM_L6_V2), Linalg.get());
    }

    @Test
    void namesEveryHiddenState() {
        assertEquals(7, encoder.config().hiddenStates());
        assertEquals(List.of("embeddings", "encoder.layer.0", "encoder.layer.1", "encoder.layer.2", "encoder.layer.3",
                "encoder.layer.4", "encoder.layer.5"), encoder.stateNames());
    }

    @Test
    void poolingIsClsRowAndMaskedMeanOfTheForwardPass() {
        List<String> texts = TestModels.sentences().subList(0, 5);
        TextEncoder.Result r = encoder.encode(texts, new TextEncoder.Options(EnumSet.allOf(Pooling.class), 128, 2));
        for (int i = 0; i < texts.size(); i++) {
            Encoding e = encoder.tokenizer().encode(texts.get(i), 128);
            TokenBatch alone = new TokenBatch(1, e.length(), e.ids(), new int[] {e.length()});
            List<FMatrix> states = new ArrayList<>();
            encoder.model().forward(alone, (k, st, b) -> states.add(st.copy()));
            FMatrix cls = TestModels.sample(r, Pooling.CLS, i);
            FMatrix mean = TestModels.sample(r, Pooling.MEAN, i);
            for (int k = 0; k < states.size(); k++) {
                for (int j = 0; j < states.get(k).cols(); j++) {
                    double sum = 0;
                    for (int t = 0; t < e.length(); t++) {
                        sum += states.get(k).get(t, j);
                    }
                    assertEquals(states.get(k).get(0, j), cls.get(k, j), BATCHING_TOL, "cls text " + i + " state " + k);
                    assertEquals(sum / e.length(), mean.get(k, j), BATCHING_TOL, "mean text " + i + " state " + k);
                }
            }
        }
    }

    @Test
    void eachPoolingIsLayeredEmbeddingsByHiddenStateIndex() {
        List<String> texts = TestModels.sentences().subList(0, 3);
        TextEncoder.Result r = encoder.encode(texts, new TextEncoder.Options(EnumSet.of(Pooling.MEAN), 64, 2));
        LayeredEmbeddings e = r.get(Pooling.MEAN);
        int states = encoder.config().hiddenStates();
        int d = encoder.config().hidden();
        assertEquals(3, e.rows());
        assertEquals(states, r.hiddenStates());
        assertEquals(states, e.layerCount());
        for (int k = 0; k < states; k++) {
            assertEquals(k, e.layerIndex(k), "hidden state 0 is the embedding output");
            assertEquals(d, e.width(k));
            DMatrix layer = e.load(k);
            FMatrix flat = r.flat(Pooling.MEAN);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(flat.get(i, k * d + j), layer.get(i, j), 0.0);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> r.get(Pooling.CLS));
    }

    @Test
    void resultsDoNotDependOnBatchSizeOrOrder() {
        List<String> texts = TestModels.sentences().subList(10, 17);
        TextEncoder.Result one = encoder.encode(texts, new TextEncoder.Options(EnumSet.of(Pooling.MEAN), 64, 1));
        TextEncoder.Result all = encoder.encode(texts, new TextEncoder.Options(EnumSet.of(Pooling.MEAN), 64, 7));
        float[] a = one.flat(Pooling.MEAN).data();
        float[] b = all.flat(Pooling.MEAN).data();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], BATCHING_TOL, "element " + i);
        }
        assertEquals(one.tokens(), all.tokens());
    }

    @Test
    void rejectsATokenizerWhoseVocabularyDoesNotMatchTheModel() {
        WordPieceTokenizer small = new WordPieceTokenizer(java.util.Map.of("[PAD]", 0, "[UNK]", 1, "[CLS]", 2, "[SEP]", 3),
                BertNormalizer.uncased(), "##", 100, "[UNK]", "[CLS]", "[SEP]", "[PAD]", List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TextEncoder(encoder.files(), small, encoder.model()));
        assertTrue(e.getMessage().contains("4 vocabulary entries") && e.getMessage().contains("30522"), e.getMessage());
    }

    @Test
    void countsTruncatedTexts() {
        List<String> texts = List.of("short one", TestModels.sentences().get(302), "another short text");
        TextEncoder.Result r = encoder.encode(texts, new TextEncoder.Options(EnumSet.of(Pooling.CLS), 32, 8));
        assertEquals(1, r.truncated());
        assertEquals(3, r.get(Pooling.CLS).rows());
        assertTrue(r.tokens() <= 32 + 4 + 5);
        assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(texts, new TextEncoder.Options(EnumSet.of(Pooling.CLS), 513, 8)));
    }
}
