package org.loes4j.training.nn;

import org.loes4j.linalg.DMatrix;

/**
 * A trainable tensor and its gradient, both float64 matrices of the same shape (vectors are 1 x n).
 * Backward passes ADD into {@link #grad()}; {@link #zeroGrad()} clears it before each step.
 */
public final class Parameter {
    private final String name;
    private final DMatrix value;
    private final DMatrix grad;

    /**
     * @param name  dotted name, unique within a model (it is the tensor name in saved files)
     * @param value contiguous storage, taken over (not copied)
     */
    public Parameter(String name, DMatrix value) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: '" + name + "' is blank");
        }
        if (value == null || !value.isContiguous() || value.offset() != 0) {
            throw new IllegalArgumentException("value: " + value + " must be a contiguous matrix at offset 0");
        }
        this.name = name;
        this.value = value;
        this.grad = DMatrix.zeros(value.rows(), value.cols());
    }

    public String name() {
        return name;
    }

    public DMatrix value() {
        return value;
    }

    public DMatrix grad() {
        return grad;
    }

    /** Number of scalar entries. */
    public int size() {
        return value.rows() * value.cols();
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        grad.fill(0.0);
    }

    @Override
    public String toString() {
        return "Parameter[" + name + ", " + value.shape() + "]";
    }
}
