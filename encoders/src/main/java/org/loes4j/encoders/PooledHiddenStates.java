package org.loes4j.encoders;

import org.loes4j.linalg.FMatrix;

/**
 * Every hidden state of an encoder pooled per sample: an N x L x d float32 array, sample-major
 * ({@code data[(i L + k) d + j]} = coordinate j of hidden state k of sample i). Hidden state 0 is the
 * embedding output, state k >= 1 the output of transformer block k - 1 (the paper's "layer k - 1").
 * The layout is the one {@code embeddings.npy} stores.
 */
public final class PooledHiddenStates {
    private final Pooling pooling;
    private final int samples;
    private final int states;
    private final int width;
    private final float[] data;

    /** Zeros for {@code samples} x {@code states} x {@code width}. */
    public PooledHiddenStates(Pooling pooling, int samples, int states, int width) {
        if (pooling == null) {
            throw new IllegalArgumentException("pooling: null");
        }
        if (samples < 0 || states <= 0 || width <= 0) {
            throw new IllegalArgumentException("shape: " + samples + " x " + states + " x " + width
                    + " needs samples >= 0 and positive states and width");
        }
        this.pooling = pooling;
        this.samples = samples;
        this.states = states;
        this.width = width;
        this.data = new float[Math.multiplyExact(Math.multiplyExact(samples, states), width)];
    }

    public Pooling pooling() {
        return pooling;
    }

    /** N. */
    public int samples() {
        return samples;
    }

    /** L: number of hidden states (blocks + 1). */
    public int states() {
        return states;
    }

    /** d. */
    public int width() {
        return width;
    }

    /** The backing N x L x d array (not a copy). */
    public float[] data() {
        return data;
    }

    /** Hidden state k of every sample as an N x d view (stride L d). */
    public FMatrix state(int k) {
        if (k < 0 || k >= states) {
            throw new IllegalArgumentException("k: " + k + " outside [0, " + states + ")");
        }
        return new FMatrix(data, k * width, samples, width, states * width);
    }

    /** All hidden states of sample i as an L x d view. */
    public FMatrix sample(int i) {
        if (i < 0 || i >= samples) {
            throw new IllegalArgumentException("i: " + i + " outside [0, " + samples + ")");
        }
        return new FMatrix(data, i * states * width, states, width, width);
    }
}
