package org.loes4j.training.model;

import java.util.Arrays;
import java.util.List;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;
import org.loes4j.linalg.regression.Standardiser;

/**
 * The closed-form ridge probe, read top to bottom:
 * <pre>
 *   X  = [h_1 | ... | h_K]                     B x D, D = sum of d_k (the layers side by side)
 *   Z  = (X - 1 mean) diag(scale)              the training rows' standardisation (scale = 1/std, 0 if constant)
 *   P  = Z WT + 1 b                            W: C x D, b: C
 * </pre>
 * For classification the columns of P are least-squares scores of the one-hot classes (the argmax is the
 * prediction; they are not probabilities: each row sums to 1 over the classes trained on, and may be negative);
 * for regression P is the value in target units. W is stored out x in, as PyTorch's {@code nn.Linear}; b is the
 * training mean of the targets (the standardised features are centred).
 *
 * <p>Immutable; {@link #evaluate} allocates its outputs, so an instance may be shared between threads.
 */
public final class RidgeModel implements ProbeModel {
    /** Tensor names in a saved model. */
    public static final String MEAN = "standardiser.mean";
    public static final String SCALE = "standardiser.scale";
    public static final String WEIGHT = "ridge.weight";
    public static final String BIAS = "ridge.bias";

    private final int[] inputWidths;
    private final Standardiser standardiser;
    private final DMatrix weight;
    private final double[] bias;
    private final double lambda;

    private RidgeModel(int[] inputWidths, Standardiser standardiser, DMatrix weight, double[] bias, double lambda) {
        this.inputWidths = inputWidths;
        this.standardiser = standardiser;
        this.weight = weight;
        this.bias = bias;
        this.lambda = lambda;
    }

    /**
     * A ridge model (arrays and matrix copied).
     *
     * @param inputWidths  d_k of each input layer, each &gt;= 1
     * @param standardiser the training rows' standardisation of the D = sum d_k concatenated columns
     * @param weight       C x D
     * @param bias         C
     * @param lambda       the ridge strength it was fitted with (recorded), finite and &gt; 0
     * @throws IllegalArgumentException naming the argument whose shape or values do not fit
     */
    public static RidgeModel of(int[] inputWidths, Standardiser standardiser, DMatrix weight, double[] bias,
                                double lambda) {
        if (inputWidths == null || inputWidths.length == 0) {
            throw new IllegalArgumentException("inputWidths: at least one layer is needed");
        }
        long d = 0;
        for (int w : inputWidths) {
            if (w < 1) {
                throw new IllegalArgumentException("inputWidths: " + Arrays.toString(inputWidths) + " holds " + w);
            }
            d += w;
        }
        if (standardiser == null || standardiser.columns() != d) {
            throw new IllegalArgumentException("standardiser: " + (standardiser == null ? "null"
                    : standardiser.columns() + " columns") + ", the layers are " + d + " wide");
        }
        if (weight == null || weight.cols() != d || weight.rows() < 1) {
            throw new IllegalArgumentException("weight: " + (weight == null ? "null" : weight.shape())
                    + ", expected C x " + d);
        }
        if (bias == null || bias.length != weight.rows()) {
            throw new IllegalArgumentException("bias: " + (bias == null ? "null" : bias.length + " values")
                    + ", expected " + weight.rows());
        }
        DMatrix w = weight.copy();
        for (double v : w.data()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("weight: holds " + v);
            }
        }
        for (double v : bias) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("bias: holds " + v);
            }
        }
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda: " + lambda + " must be finite and > 0");
        }
        return new RidgeModel(inputWidths.clone(), standardiser, w, bias.clone(), lambda);
    }

    @Override
    public int[] inputWidths() {
        return inputWidths.clone();
    }

    @Override
    public int outputs() {
        return weight.rows();
    }

    /** D, the width of the concatenated layers. */
    public int width() {
        return weight.cols();
    }

    public Standardiser standardiser() {
        return standardiser;
    }

    /** W, C x D (a copy). */
    public DMatrix weight() {
        return weight.copy();
    }

    /** b, length C (a copy). */
    public double[] bias() {
        return bias.clone();
    }

    /** The ridge strength chosen by cross-validation. */
    public double lambda() {
        return lambda;
    }

    @Override
    public DMatrix evaluate(List<DMatrix> layers) {
        if (layers == null || layers.size() != inputWidths.length) {
            throw new IllegalArgumentException("layers: " + (layers == null ? "null" : layers.size() + " inputs")
                    + ", the model reads " + inputWidths.length);
        }
        int rows = layers.getFirst().rows();
        DMatrix x = DMatrix.zeros(rows, weight.cols());
        int c0 = 0;
        for (int k = 0; k < inputWidths.length; k++) {
            DMatrix h = layers.get(k);
            if (h.rows() != rows || h.cols() != inputWidths[k]) {
                throw new IllegalArgumentException("layers: input " + k + " is " + h.shape() + ", expected " + rows
                        + " x " + inputWidths[k]);
            }
            x.view(0, c0, rows, inputWidths[k]).copyFrom(h);
            c0 += inputWidths[k];
        }
        standardiser.apply(x);
        DMatrix p = Linalg.get().multiply(Transpose.NO, x, Transpose.YES, weight);
        double[] pd = p.data();
        for (int i = 0; i < rows; i++) {
            int o = p.index(i, 0);
            for (int j = 0; j < bias.length; j++) {
                pd[o + j] += bias[j];
            }
        }
        return p;
    }

    @Override
    public String toString() {
        return "RidgeModel[" + weight.cols() + " -> " + weight.rows() + ", lambda " + lambda + "]";
    }
}
