package org.loes4j.training.nn;

import java.util.List;
import java.util.SplittableRandom;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.Transpose;

/**
 * Affine map {@code y = x WT + 1 b}. Shapes: x is B x in, W is out x in (PyTorch's layout, so saved
 * tensors read the same), b is 1 x out, y is B x out. Initialisation as PyTorch's {@code nn.Linear}:
 * W and b uniform in {@code [-1/sqrt(in), 1/sqrt(in))}, from the given seeded generator.
 */
public final class Linear {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final Linalg linalg;
    private DMatrix input;

    /** A layer named {@code name.weight}, {@code name.bias}, initialised from {@code rng}. */
    public Linear(String name, int in, int out, SplittableRandom rng) {
        if (in < 1) {
            throw new IllegalArgumentException("in: " + in + " must be >= 1");
        }
        if (out < 1) {
            throw new IllegalArgumentException("out: " + out + " must be >= 1");
        }
        this.in = in;
        this.out = out;
        this.linalg = Linalg.get();
        double bound = 1.0 / Math.sqrt(in);
        DMatrix w = DMatrix.zeros(out, in);
        double[] wd = w.data();
        for (int i = 0; i < wd.length; i++) {
            wd[i] = rng.nextDouble(-bound, bound);
        }
        DMatrix b = DMatrix.zeros(1, out);
        double[] bd = b.data();
        for (int i = 0; i < out; i++) {
            bd[i] = rng.nextDouble(-bound, bound);
        }
        this.weight = new Parameter(name + ".weight", w);
        this.bias = new Parameter(name + ".bias", b);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /** Returns a new B x out output; keeps a reference to x (not a copy) for {@link #backward}. */
    public DMatrix forward(DMatrix x) {
        if (x.cols() != in) {
            throw new IllegalArgumentException("x: " + x.cols() + " columns, linear layer takes " + in);
        }
        DMatrix y = DMatrix.zeros(x.rows(), out);
        double[] yd = y.data();
        double[] bd = bias.value().data();
        for (int i = 0; i < x.rows(); i++) {
            System.arraycopy(bd, 0, yd, i * out, out);
        }
        linalg.gemm(Transpose.NO, Transpose.YES, 1.0, x, weight.value(), 1.0, y);
        input = x;
        return y;
    }

    /**
     * Adds {@code dL/dW = dyT x} and {@code dL/db = sum_rows dy} to the gradients; returns
     * {@code dL/dx = dy W} (B x in) when {@code wantInputGradient}, else null (saves one product when x
     * is the data).
     */
    public DMatrix backward(DMatrix dy, boolean wantInputGradient) {
        if (input == null) {
            throw new IllegalStateException("backward before forward");
        }
        if (dy.rows() != input.rows() || dy.cols() != out) {
            throw new IllegalArgumentException("dy: shape " + dy.shape() + ", expected " + input.rows() + " x " + out);
        }
        linalg.gemm(Transpose.YES, Transpose.NO, 1.0, dy, input, 1.0, weight.grad());
        double[] db = bias.grad().data();
        double[] dyd = dy.data();
        for (int i = 0; i < dy.rows(); i++) {
            int o = dy.index(i, 0);
            for (int j = 0; j < out; j++) {
                db[j] += dyd[o + j];
            }
        }
        if (!wantInputGradient) {
            return null;
        }
        DMatrix dx = DMatrix.zeros(dy.rows(), in);
        linalg.gemm(Transpose.NO, Transpose.NO, 1.0, dy, weight.value(), 0.0, dx);
        return dx;
    }
}
