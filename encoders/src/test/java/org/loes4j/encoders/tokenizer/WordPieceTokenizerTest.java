package org.loes4j.encoders.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loes4j.encoders.KnownModel;
import org.loes4j.encoders.TestModels;

class WordPieceTokenizerTest {

    /** Ids must equal Hugging Face's (Rust tokenizers through DJL) on every test sentence, for both vocabularies. */
    @Test
    void idsEqualHuggingFaceOnRealSentences() throws Exception {
        for (KnownModel m : List.of(KnownModel.BGE_SMALL_EN_V15, KnownModel.ALL_MINILM_L6_V2)) {
            Path json = TestModels.files(m).tokenizer();
            WordPieceTokenizer ours = WordPieceTokenizer.fromJson(json);
            List<String> sentences = TestModels.sentences();
            List<String> mismatches = new ArrayList<>();
            int agree = 0;
            try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(json,
                    Map.of("truncation", "false", "padding", "false"))) {
                for (String s : sentences) {
                    long[] expected = hf.encode(s).getIds();
                    int[] actual = ours.encode(s, Integer.MAX_VALUE).ids();
                    if (Arrays.equals(expected, Arrays.stream(actual).asLongStream().toArray())) {
                        agree++;
                    } else {
                        mismatches.add(s + "\n   hf:   " + Arrays.toString(expected) + "\n   ours: "
                                + Arrays.toString(actual));
                    }
                }
            }
            System.out.println(m.modelName() + ": tokenizer ids identical to Hugging Face on " + agree + " of "
                    + sentences.size() + " sentences");
            assertTrue(sentences.size() >= 300, "corpus size " + sentences.size());
            assertEquals(List.of(), mismatches);
        }
    }

    @Test
    void vocabularyKeysThatNeedJsonEscapesAreRead() throws Exception {
        WordPieceTokenizer t = WordPieceTokenizer.fromJson(TestModels.files(KnownModel.BGE_SMALL_EN_V15).tokenizer());
        for (String key : List.of("{", "}", "\"", "\\", "[", "]")) {
            assertTrue(t.tokenId(key) >= 0, "vocabulary has " + key);
        }
        int[] ids = t.tokenize("{\"a\": [1]}");
        for (int id : ids) {
            assertTrue(id != t.unkId(), "no [UNK] in " + Arrays.toString(ids));
        }
        assertEquals(30522, t.vocabSize());
    }

    private static WordPieceTokenizer tiny() {
        Map<String, Integer> vocab = Map.ofEntries(Map.entry("[PAD]", 0), Map.entry("[UNK]", 1),
                Map.entry("[CLS]", 2), Map.entry("[SEP]", 3), Map.entry("un", 4), Map.entry("##aff", 5),
                Map.entry("##able", 6), Map.entry("unaff", 7), Map.entry("a", 8), Map.entry("##a", 9),
                Map.entry(",", 10), Map.entry("cafe", 11), Map.entry("中", 12));
        return new WordPieceTokenizer(vocab, BertNormalizer.uncased(), "##", 9, "[UNK]", "[CLS]", "[SEP]", "[PAD]",
                List.of("[SEP]"));
    }

    @Test
    void greedyLongestMatchFromTheLeft() {
        WordPieceTokenizer t = tiny();
        // "unaffable": longest first piece is "unaff" (7), then "##able" (6); not "un" + "##aff" + ...
        assertArrayEquals(new int[] {7, 6}, t.tokenize("UNAFFABLE"));
        assertArrayEquals(new int[] {8, 9, 9}, t.tokenize("aaa"));
        // A word with no complete cut is one [UNK]; a word longer than 9 characters too.
        assertArrayEquals(new int[] {1}, t.tokenize("unx"));
        assertArrayEquals(new int[] {1}, t.tokenize("aaaaaaaaaa"));
        // Accents stripped and lower-cased; punctuation split; CJK split.
        assertArrayEquals(new int[] {11, 10, 12, 11}, t.tokenize("Café,中cafe"));
        // A literal special token is kept as itself.
        assertArrayEquals(new int[] {8, 3, 8}, t.tokenize("a[SEP]a"));
    }

    @Test
    void truncationKeepsSpecialTokensAndCountsTheFullLength() {
        WordPieceTokenizer t = tiny();
        Encoding e = t.encode("a a a a a", 4);
        assertArrayEquals(new int[] {2, 8, 8, 3}, e.ids());
        assertEquals(7, e.fullLength());
        assertTrue(e.truncated());
        Encoding full = t.encode("a a", 4);
        assertArrayEquals(new int[] {2, 8, 8, 3}, full.ids());
        assertFalse(full.truncated());
        assertArrayEquals(new int[] {2, 3}, t.encode("", 8).ids());
        assertThrows(IllegalArgumentException.class, () -> t.encode("a", 1));
    }

    @Test
    void normalizerSteps() {
        BertNormalizer n = BertNormalizer.uncased();
        assertEquals("resume a b", n.normalize("Résumé\u00a0A\u0007\tB"));
        assertEquals(" 中 ", n.normalize("中"));
        assertEquals("istanbul", n.normalize("İstanbul"));
        assertTrue(BertNormalizer.isWhitespace(0x3000));
        assertFalse(BertNormalizer.isWhitespace('x'));
        assertTrue(WordPieceTokenizer.isPunctuation('$'));
        assertTrue(WordPieceTokenizer.isPunctuation('¿'));
        assertFalse(WordPieceTokenizer.isPunctuation('€'));
    }

    @Test
    void rejectsAJsonThatIsNotWordPiece() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WordPieceTokenizer.fromJson("{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}"));
        assertTrue(e.getMessage().contains("WordPiece"), e.getMessage());
    }
}
