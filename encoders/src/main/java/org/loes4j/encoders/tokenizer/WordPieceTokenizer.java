package org.loes4j.encoders.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.loes4j.linalg.io.Json;

/**
 * BERT's WordPiece tokenizer, configured from a Hugging Face {@code tokenizer.json}.
 *
 * <p>For one text: special tokens written literally in the text (e.g. {@code "[SEP]"}) are split out
 * first; every other stretch is normalised ({@link BertNormalizer}), split on white space (removed) and
 * on punctuation (each punctuation character its own word; punctuation is any Unicode P* character or
 * an ASCII symbol from the ranges <code>!-/ :-@ [-` &#123;-~</code>); each word of more than
 * {@code maxInputCharsPerWord} characters becomes {@code [UNK]}, any other is cut greedily into the
 * longest vocabulary pieces from the left, continuation pieces carrying the {@code ##} prefix (a word
 * with no complete cut becomes a single {@code [UNK]}). The result is wrapped as
 * {@code [CLS] ... [SEP]} and truncated to a maximum length (special tokens included). The
 * {@code truncation} and {@code padding} sections of {@code tokenizer.json} are not applied: the caller
 * chooses the maximum length, and batches are padded by the encoder to their own longest text.
 *
 * <p>Immutable and thread-safe.
 */
public final class WordPieceTokenizer {
    private final Map<String, Integer> vocab;
    private final BertNormalizer normalizer;
    private final String continuingPrefix;
    private final int maxInputCharsPerWord;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final int padId;
    private final List<String> literalSpecials;
    private final int maxPieceChars;

    /**
     * @param vocab                token to id; must contain the four special tokens
     * @param normalizer           text normalisation
     * @param continuingPrefix     prefix of non-initial word pieces ({@code "##"})
     * @param maxInputCharsPerWord longer words become {@code unkToken}
     * @param unkToken             unknown-word token ({@code "[UNK]"})
     * @param clsToken             sequence start ({@code "[CLS]"})
     * @param sepToken             sequence end ({@code "[SEP]"})
     * @param padToken             padding ({@code "[PAD]"})
     * @param literalSpecials      added tokens matched verbatim in the raw text before normalisation
     */
    public WordPieceTokenizer(Map<String, Integer> vocab, BertNormalizer normalizer, String continuingPrefix,
                              int maxInputCharsPerWord, String unkToken, String clsToken, String sepToken,
                              String padToken, List<String> literalSpecials) {
        if (vocab == null || vocab.isEmpty()) {
            throw new IllegalArgumentException("vocab: empty");
        }
        if (normalizer == null) {
            throw new IllegalArgumentException("normalizer: null");
        }
        if (continuingPrefix == null) {
            throw new IllegalArgumentException("continuingPrefix: null");
        }
        if (maxInputCharsPerWord <= 0) {
            throw new IllegalArgumentException("maxInputCharsPerWord: " + maxInputCharsPerWord + " must be positive");
        }
        this.vocab = Map.copyOf(vocab);
        this.normalizer = normalizer;
        this.continuingPrefix = continuingPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        this.unkId = id("unkToken", unkToken);
        this.clsId = id("clsToken", clsToken);
        this.sepId = id("sepToken", sepToken);
        this.padId = id("padToken", padToken);
        List<String> specials = new ArrayList<>();
        for (String s : literalSpecials) {
            if (s != null && !s.isEmpty()) {
                id("literalSpecials", s);
                specials.add(s);
            }
        }
        // Longest first, so that a special token that is a prefix of another never wins.
        specials.sort(Comparator.comparingInt(String::length).reversed());
        this.literalSpecials = List.copyOf(specials);
        int longest = 0;
        for (String k : this.vocab.keySet()) {
            longest = Math.max(longest, k.codePointCount(0, k.length()));
        }
        this.maxPieceChars = longest;
    }

    private int id(String what, String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException(what + ": token '" + token + "' is not in the vocabulary");
        }
        return id;
    }

    /**
     * Reads a Hugging Face {@code tokenizer.json} with a WordPiece model and a BertNormalizer.
     *
     * @throws IllegalArgumentException naming the file and what is missing or unsupported
     */
    public static WordPieceTokenizer fromJson(Path path) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path: null");
        }
        String text = Files.readString(path, StandardCharsets.UTF_8);
        try {
            return fromJson(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    /** Parses the text of a {@code tokenizer.json}; see {@link #fromJson(Path)}. */
    public static WordPieceTokenizer fromJson(String json) {
        Map<String, Object> root = Json.parseObject(json);
        Map<String, Object> model = object(root, "model");
        Object type = model.get("type");
        if (!"WordPiece".equals(type)) {
            throw new IllegalArgumentException("model.type is " + type + ", only WordPiece is supported");
        }
        Map<String, Object> vocabJson = object(model, "vocab");
        Map<String, Integer> vocab = new HashMap<>(vocabJson.size() * 2);
        for (Map.Entry<String, Object> e : vocabJson.entrySet()) {
            if (!(e.getValue() instanceof Long id) || id < 0 || id > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("model.vocab: entry '" + e.getKey() + "' has id " + e.getValue());
            }
            vocab.put(e.getKey(), (int) (long) id);
        }
        String unk = string(model, "unk_token", "[UNK]");
        String prefix = string(model, "continuing_subword_prefix", "##");
        int maxChars = (int) number(model, "max_input_chars_per_word", 100);

        BertNormalizer normalizer = new BertNormalizer(false, false, false, false);
        Object norm = root.get("normalizer");
        if (norm instanceof Map<?, ?> n) {
            if (!"BertNormalizer".equals(n.get("type"))) {
                throw new IllegalArgumentException("normalizer.type is " + n.get("type")
                        + ", only BertNormalizer is supported");
            }
            boolean lower = bool(n.get("lowercase"), true);
            Object strip = n.get("strip_accents");
            normalizer = new BertNormalizer(bool(n.get("clean_text"), true), bool(n.get("handle_chinese_chars"), true),
                    strip == null ? lower : bool(strip, lower), lower);
        }
        Object pre = root.get("pre_tokenizer");
        if (pre instanceof Map<?, ?> p && !"BertPreTokenizer".equals(p.get("type"))) {
            throw new IllegalArgumentException("pre_tokenizer.type is " + p.get("type")
                    + ", only BertPreTokenizer is supported");
        }
        List<String> specials = new ArrayList<>();
        if (root.get("added_tokens") instanceof List<?> added) {
            for (Object o : added) {
                if (o instanceof Map<?, ?> a && a.get("content") instanceof String content
                        && Boolean.FALSE.equals(a.get("normalized")) && vocab.containsKey(content)) {
                    specials.add(content);
                }
            }
        }
        return new WordPieceTokenizer(vocab, normalizer, prefix, maxChars, unk, "[CLS]", "[SEP]",
                vocab.containsKey("[PAD]") ? "[PAD]" : unk, specials);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("'" + key + "' is missing or not an object");
        }
        return (Map<String, Object>) v;
    }

    private static String string(Map<String, Object> parent, String key, String fallback) {
        Object v = parent.get(key);
        return v instanceof String s ? s : fallback;
    }

    private static long number(Map<String, Object> parent, String key, long fallback) {
        Object v = parent.get(key);
        return v instanceof Long l ? l : fallback;
    }

    private static boolean bool(Object v, boolean fallback) {
        return v instanceof Boolean b ? b : fallback;
    }

    // ------------------------------------------------------------------ accessors

    /** Number of vocabulary entries (ids are 0 .. vocabSize - 1 in a well-formed vocabulary). */
    public int vocabSize() {
        return vocab.size();
    }

    public int padId() {
        return padId;
    }

    public int unkId() {
        return unkId;
    }

    public int clsId() {
        return clsId;
    }

    public int sepId() {
        return sepId;
    }

    public BertNormalizer normalizer() {
        return normalizer;
    }

    /** The id of {@code token}, or -1. */
    public int tokenId(String token) {
        if (token == null) {
            throw new IllegalArgumentException("token: null");
        }
        Integer id = vocab.get(token);
        return id == null ? -1 : id;
    }

    /** Settings for provenance records. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("type", "WordPiece");
        m.put("vocab_size", vocab.size());
        m.put("lowercase", normalizer.lowercase());
        m.put("strip_accents", normalizer.stripAccents());
        m.put("clean_text", normalizer.cleanText());
        m.put("handle_chinese_chars", normalizer.handleChineseChars());
        m.put("continuing_subword_prefix", continuingPrefix);
        m.put("max_input_chars_per_word", maxInputCharsPerWord);
        return m;
    }

    // ------------------------------------------------------------------ tokenising

    /**
     * {@code [CLS] wordpieces(text) [SEP]}, truncated to at most {@code maxLength} ids (special tokens
     * included; pieces are cut from the end).
     *
     * @param maxLength at least 2
     */
    public Encoding encode(String text, int maxLength) {
        if (text == null) {
            throw new IllegalArgumentException("text: null");
        }
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength: " + maxLength + " leaves no room for [CLS] and [SEP]");
        }
        IntList pieces = new IntList();
        tokenize(text, pieces);
        int keep = Math.min(pieces.size, maxLength - 2);
        int[] ids = new int[keep + 2];
        ids[0] = clsId;
        System.arraycopy(pieces.values, 0, ids, 1, keep);
        ids[keep + 1] = sepId;
        return new Encoding(ids, pieces.size + 2);
    }

    /** The WordPiece ids of {@code text} without special tokens or truncation. */
    public int[] tokenize(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text: null");
        }
        IntList out = new IntList();
        tokenize(text, out);
        return java.util.Arrays.copyOf(out.values, out.size);
    }

    private void tokenize(String text, IntList out) {
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            String special = specialAt(text, i);
            if (special != null) {
                tokenizeNormalizedSpan(text.substring(start, i), out);
                out.add(vocab.get(special));
                i += special.length();
                start = i;
            } else {
                i++;
            }
        }
        tokenizeNormalizedSpan(text.substring(start), out);
    }

    private String specialAt(String text, int i) {
        for (String s : literalSpecials) {
            if (text.startsWith(s, i)) {
                return s;
            }
        }
        return null;
    }

    private void tokenizeNormalizedSpan(String span, IntList out) {
        if (span.isEmpty()) {
            return;
        }
        String s = normalizer.normalize(span);
        int wordStart = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            if (BertNormalizer.isWhitespace(cp)) {
                if (wordStart >= 0) {
                    wordPiece(s.substring(wordStart, i), out);
                    wordStart = -1;
                }
            } else if (isPunctuation(cp)) {
                if (wordStart >= 0) {
                    wordPiece(s.substring(wordStart, i), out);
                    wordStart = -1;
                }
                wordPiece(s.substring(i, i + n), out);
            } else if (wordStart < 0) {
                wordStart = i;
            }
            i += n;
        }
        if (wordStart >= 0) {
            wordPiece(s.substring(wordStart), out);
        }
    }

    /** Greedy longest-match-first WordPiece of one word. */
    private void wordPiece(String word, IntList out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > maxInputCharsPerWord) {
            out.add(unkId);
            return;
        }
        int mark = out.size;
        int start = 0;
        while (start < cps.length) {
            int end = Math.min(cps.length, start + maxPieceChars);
            int found = -1;
            while (end > start) {
                String piece = new String(cps, start, end - start);
                Integer id = vocab.get(start > 0 ? continuingPrefix + piece : piece);
                if (id != null) {
                    found = id;
                    break;
                }
                end--;
            }
            if (found < 0) {
                out.size = mark;
                out.add(unkId);
                return;
            }
            out.add(found);
            start = end;
        }
    }

    /** BERT's punctuation: ASCII symbols in {@code !-/ :-@ [-` {-~}, and Unicode P* categories. */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** A growable int[] (no boxing). */
    private static final class IntList {
        int[] values = new int[32];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }
}
