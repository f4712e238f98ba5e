package org.loes4j.bench.peer;

/**
 * One operation set up on one implementation's own data structures, so that only the computation is
 * timed: inputs are converted (or wrapped) when the operation is prepared, never inside {@link #run()}.
 */
public interface Prepared {

    /**
     * Restores the inputs that {@link #run()} overwrites (an in-place factorisation destroys its matrix).
     * Called before every timed call, outside the timing (JMH {@code Level.Invocation} setup).
     */
    void reset();

    /** The timed computation; returns an object for JMH's blackhole so nothing is optimised away. */
    Object run();

    /**
     * The result as row-major float64, for cross-checks (read after {@link #run()}): the product C for a
     * GEMM; the full Gram matrix, of which only the lower triangle is compared; the Cholesky factor L with
     * a zero strict upper triangle; the eigenvalues ascending; for ridge the weights W (p x c, row-major)
     * followed by the intercept (c values).
     */
    double[] result();
}
