package org.loes4j.encoders;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.encoders.bert.BertConfig;
import org.loes4j.encoders.bert.BertModel;
import org.loes4j.encoders.bert.BertWeights;
import org.loes4j.encoders.bert.OnnxBertImporter;
import org.loes4j.encoders.bert.SafetensorsBertImporter;
import org.loes4j.encoders.bert.TokenBatch;
import org.loes4j.encoders.onnx.OnnxModel;
import org.loes4j.encoders.tokenizer.Encoding;
import org.loes4j.encoders.tokenizer.WordPieceTokenizer;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.io.Safetensors;

/**
 * Texts in, every hidden state pooled per text out: tokenizer + BERT encoder.
 *
 * <p>{@link #encode} tokenises all texts, sorts them by token count (length bucketing, so a batch's
 * padded id array is nearly its own size; the encoder itself computes real tokens only), runs batches of
 * {@code batchSize} through {@link BertModel#forward}, pools each hidden state as it is produced, and
 * returns the results in input order, as {@link LayeredEmbeddings} per pooling ({@link Result#get}).
 *
 * <p>Hidden-state indexing: index 0 is the embedding output, index k the output of block k - 1;
 * {@link #stateNames()} names them ({@code embeddings}, {@code encoder.layer.0}, ...).
 */
public final class TextEncoder implements LayerwiseEncoder<List<String>> {
    /** {@link #defaultOptions()}'s token limit and batch size: the CLI's {@code extract} defaults. */
    private static final int DEFAULT_MAX_LENGTH = 256;
    private static final int DEFAULT_BATCH_SIZE = 32;

    private final ModelFiles files;
    private final WordPieceTokenizer tokenizer;
    private final BertModel model;

    public TextEncoder(ModelFiles files, WordPieceTokenizer tokenizer, BertModel model) {
        if (files == null || tokenizer == null || model == null) {
            throw new IllegalArgumentException("TextEncoder: null argument (files " + files + ", tokenizer "
                    + tokenizer + ", model " + model + ")");
        }
        int modelVocab = model.config().vocabSize();
        if (tokenizer.vocabSize() != modelVocab) {
            throw new IllegalArgumentException("tokenizer: " + files.tokenizer() + " has " + tokenizer.vocabSize()
                    + " vocabulary entries, the model " + files.weights() + " has " + modelVocab + " embeddings");
        }
        this.files = files;
        this.tokenizer = tokenizer;
        this.model = model;
    }

    /** Resolves {@code nameOrPath} with {@link ModelResolver#defaults()} and loads it on {@link Linalg#get()}. */
    public static TextEncoder load(String nameOrPath) throws IOException {
        return load(ModelResolver.defaults().resolve(nameOrPath), Linalg.get());
    }

    /** Reads the weights (ONNX or safetensors; the file is unmapped afterwards) and the tokenizer. */
    public static TextEncoder load(ModelFiles files, Linalg linalg) throws IOException {
        if (files == null) {
            throw new IllegalArgumentException("files: null");
        }
        int headsHint = files.known().map(KnownModel::heads).orElse(0);
        BertWeights weights;
        if (files.isSafetensors()) {
            if (!Files.isRegularFile(files.weights())) {
                throw new IllegalArgumentException("path: " + files.weights() + " is not a file");
            }
            try (Safetensors st = Safetensors.open(files.weights())) {
                weights = SafetensorsBertImporter.load(st, headsHint);
            }
        } else {
            try (OnnxModel onnx = OnnxModel.open(files.weights())) {
                weights = OnnxBertImporter.load(onnx, headsHint);
            }
        }
        return new TextEncoder(files, WordPieceTokenizer.fromJson(files.tokenizer()), new BertModel(weights, linalg));
    }

    public ModelFiles files() {
        return files;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    public BertModel model() {
        return model;
    }

    public BertConfig config() {
        return model.config();
    }

    /** Names of the hidden states: {@code embeddings}, then {@code encoder.layer.k} for block k. */
    public List<String> stateNames() {
        List<String> names = new ArrayList<>();
        names.add("embeddings");
        for (int k = 0; k < config().layers(); k++) {
            names.add("encoder.layer." + k);
        }
        return Collections.unmodifiableList(names);
    }

    @Override
    public String architecture() {
        return Architectures.BERT.name();
    }

    @Override
    public Modality modality() {
        return Modality.TEXT;
    }

    /** {@link #stateNames()}. */
    @Override
    public List<String> layerNames() {
        return stateNames();
    }

    /** The hidden width, for every hidden state. */
    @Override
    public int[] layerWidths() {
        int[] w = new int[config().hiddenStates()];
        Arrays.fill(w, config().hidden());
        return w;
    }

    /**
     * Mean pooling, at most 256 tokens per text (or the model's positions, if fewer), 32 texts per
     * forward pass: the CLI's {@code extract} defaults.
     */
    public Options defaultOptions() {
        return new Options(EnumSet.of(Pooling.MEAN), Math.min(DEFAULT_MAX_LENGTH, config().maxPositions()),
                DEFAULT_BATCH_SIZE);
    }

    /** {@code encode(texts, defaultOptions()).get(Pooling.MEAN)}: every hidden state, mean-pooled. */
    @Override
    public LayeredEmbeddings encodeLayers(List<String> texts) {
        return encode(texts, defaultOptions()).get(Pooling.MEAN);
    }

    /**
     * Options of {@link #encode}.
     *
     * @param poolings  which poolings to compute (at least one)
     * @param maxLength tokens per text, {@code [CLS]} and {@code [SEP]} included; longer texts are
     *                  truncated (and counted)
     * @param batchSize texts per forward pass
     */
    public record Options(Set<Pooling> poolings, int maxLength, int batchSize) {
        public Options {
            if (poolings == null || poolings.isEmpty()) {
                throw new IllegalArgumentException("poolings: empty");
            }
            poolings = Collections.unmodifiableSet(EnumSet.copyOf(poolings));
            if (maxLength < 2) {
                throw new IllegalArgumentException("maxLength: " + maxLength + " must be at least 2");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize: " + batchSize + " must be positive");
            }
        }
    }

    /** Receives progress after each batch. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param textsDone texts encoded so far
         * @param textsTotal all texts of the call
         * @param tokensDone real (unpadded) tokens encoded so far
         */
        void update(int textsDone, int textsTotal, long tokensDone);
    }

    /**
     * The result of {@link #encode}.
     *
     * @param pooled       per requested pooling, every hidden state of every text as one row-major float32
     *                     N x (L d) matrix, sample-major: row i holds hidden states 0..L-1 of text i, d values each
     *                     (the layout of an (N, L, d) {@code embeddings.npy})
     * @param hiddenStates L: hidden state 0 is the embedding output, state k >= 1 the output of transformer
     *                     block k - 1 (the paper's "layer k - 1")
     * @param truncated    number of texts cut to {@code maxLength}
     * @param tokens       real tokens encoded (special tokens included, padding excluded)
     */
    public record Result(Map<Pooling, FMatrix> pooled, int hiddenStates, int truncated, long tokens) {
        public Result {
            pooled = Collections.unmodifiableMap(new EnumMap<>(pooled));
            if (hiddenStates < 1) {
                throw new IllegalArgumentException("hiddenStates: " + hiddenStates + " must be >= 1");
            }
        }

        /**
         * The embeddings pooled with {@code p}: L layers of width d, numbered by hidden-state index (0 = the
         * embedding output), a view of {@link #flat} (nothing is copied).
         *
         * @throws IllegalArgumentException if {@code p} was not requested
         */
        public LayeredEmbeddings get(Pooling p) {
            FMatrix flat = flat(p);
            return LayeredEmbeddings.ofFlat(flat, hiddenStates, flat.cols() / hiddenStates);
        }

        /**
         * The N x (L d) float32 matrix pooled with {@code p} (not a copy).
         *
         * @throws IllegalArgumentException if {@code p} was not requested
         */
        public FMatrix flat(Pooling p) {
            FMatrix s = pooled.get(p);
            if (s == null) {
                throw new IllegalArgumentException("pooling: " + p + " was not requested (requested: "
                        + pooled.keySet() + ")");
            }
            return s;
        }
    }

    /** {@link #encode(List, Options, Progress)} without progress reports. */
    public Result encode(List<String> texts, Options options) {
        return encode(texts, options, (done, total, tokens) -> { });
    }

    /**
     * Encodes {@code texts} and pools every hidden state of each.
     *
     * @throws IllegalArgumentException when {@code options.maxLength()} exceeds the model's positions or a
     *                                  text is null
     */
    public Result encode(List<String> texts, Options options, Progress progress) {
        if (texts == null) {
            throw new IllegalArgumentException("texts: null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options: null");
        }
        if (progress == null) {
            throw new IllegalArgumentException("progress: null");
        }
        if (options.maxLength() > config().maxPositions()) {
            throw new IllegalArgumentException("maxLength: " + options.maxLength() + " exceeds the model's "
                    + config().maxPositions() + " positions");
        }
        int n = texts.size();
        Encoding[] encodings = new Encoding[n];
        int truncated = 0;
        for (int i = 0; i < n; i++) {
            String t = texts.get(i);
            if (t == null) {
                throw new IllegalArgumentException("texts: element " + i + " is null");
            }
            encodings[i] = tokenizer.encode(t, options.maxLength());
            if (encodings[i].truncated()) {
                truncated++;
            }
        }
        Integer[] boxedOrder = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxedOrder[i] = i;
        }
        Arrays.sort(boxedOrder, (a, b) -> Integer.compare(encodings[a].length(), encodings[b].length()));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = boxedOrder[i];
        }

        int states = config().hiddenStates();
        int d = config().hidden();
        Map<Pooling, FMatrix> pooled = new EnumMap<>(Pooling.class);
        for (Pooling p : options.poolings()) {
            pooled.put(p, FMatrix.zeros(n, Math.multiplyExact(states, d)));
        }
        long tokens = 0;
        for (int start = 0; start < n; start += options.batchSize()) {
            int size = Math.min(options.batchSize(), n - start);
            int[] members = Arrays.copyOfRange(order, start, start + size);
            TokenBatch batch = pad(encodings, members);
            model.forward(batch, (k, hidden, b) -> pool(hidden, b, k, states, members, pooled));
            tokens += batch.realTokens();
            progress.update(start + size, n, tokens);
        }
        return new Result(pooled, states, truncated, tokens);
    }

    /** Right-pads the encodings of {@code members} to the longest of them. */
    private TokenBatch pad(Encoding[] encodings, int[] members) {
        int s = 0;
        for (int m : members) {
            s = Math.max(s, encodings[m].length());
        }
        int[] ids = new int[members.length * s];
        int[] lengths = new int[members.length];
        Arrays.fill(ids, tokenizer.padId());
        for (int b = 0; b < members.length; b++) {
            int[] e = encodings[members[b]].ids();
            System.arraycopy(e, 0, ids, b * s, e.length);
            lengths[b] = e.length;
        }
        return new TokenBatch(members.length, s, ids, lengths);
    }

    /**
     * Writes hidden state k of each sample of the batch into its slot, for every requested pooling: CLS =
     * the sample's first packed row, mean = the average of its {@code len} packed rows
     * ({@link org.loes4j.encoders.bert.HiddenStateSink}'s layout).
     */
    private static void pool(FMatrix hidden, TokenBatch batch, int k, int states, int[] members,
                             Map<Pooling, FMatrix> pooled) {
        float[] h = hidden.data();
        int d = hidden.cols();
        int[] offsets = batch.rowOffsets();
        for (Map.Entry<Pooling, FMatrix> e : pooled.entrySet()) {
            float[] o = e.getValue().data();
            for (int b = 0; b < members.length; b++) {
                int dst = (members[b] * states + k) * d;
                int src = hidden.index(offsets[b], 0);
                if (e.getKey() == Pooling.CLS) {
                    System.arraycopy(h, src, o, dst, d);
                } else {
                    int len = batch.lengths()[b];
                    for (int t = 0; t < len; t++) {
                        int r = src + t * hidden.stride();
                        for (int j = 0; j < d; j++) {
                            o[dst + j] += h[r + j];
                        }
                    }
                    float inv = 1f / len;
                    for (int j = 0; j < d; j++) {
                        o[dst + j] *= inv;
                    }
                }
            }
        }
    }
}
