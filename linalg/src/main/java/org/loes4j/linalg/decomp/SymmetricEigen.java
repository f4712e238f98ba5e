package org.loes4j.linalg.decomp;

/**
 * Result of a symmetric eigen-decomposition {@code A = V diag(values) VT}: eigenvalues ascending;
 * {@code vectors} holds the matching unit eigenvectors as columns, or is {@code null} when only
 * eigenvalues were asked for.
 */
public record SymmetricEigen(double[] values, org.loes4j.linalg.DMatrix vectors) {
}
