package org.loes4j.encoders.bert;

/**
 * The shape of a BERT encoder, inferred from its weights (see {@link OnnxBertImporter#load} and
 * {@link SafetensorsBertImporter#load}).
 *
 * @param vocabSize     rows of the word-embedding table
 * @param hidden        model width d
 * @param layers        number of transformer blocks
 * @param heads         attention heads; {@code hidden % heads == 0}
 * @param intermediate  FFN width
 * @param maxPositions  rows of the position-embedding table (the longest input, special tokens included)
 * @param typeVocabSize rows of the token-type table
 * @param layerNormEps  epsilon of every LayerNorm
 */
public record BertConfig(int vocabSize, int hidden, int layers, int heads, int intermediate, int maxPositions,
                         int typeVocabSize, float layerNormEps) {

    public BertConfig {
        positive("vocabSize", vocabSize);
        positive("hidden", hidden);
        positive("layers", layers);
        positive("heads", heads);
        positive("intermediate", intermediate);
        positive("maxPositions", maxPositions);
        positive("typeVocabSize", typeVocabSize);
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("heads: " + heads + " does not divide hidden " + hidden);
        }
        if (!(layerNormEps > 0) || !Float.isFinite(layerNormEps)) {
            throw new IllegalArgumentException("layerNormEps: " + layerNormEps + " must be positive and finite");
        }
    }

    /** Width of one attention head, {@code hidden / heads}. */
    public int headDim() {
        return hidden / heads;
    }

    /** Number of hidden states the encoder emits: the embedding output plus one per block. */
    public int hiddenStates() {
        return layers + 1;
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + ": " + v + " must be positive");
        }
    }
}
