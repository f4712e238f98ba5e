/**
 * Matrix decompositions: Cholesky ({@link org.loes4j.linalg.decomp.CholeskyFactor}), the symmetric
 * eigen-problem ({@link org.loes4j.linalg.decomp.SymmetricEigen}) and the algorithms behind them, shared
 * by the CPU backends.
 */
package org.loes4j.linalg.decomp;
