/**
 * Matrix decompositions: Cholesky ({@link org.loes4j.linalg.decomp.CholeskyFactor}), the symmetric
 * eigen-problem ({@link org.loes4j.linalg.decomp.SymmetricEigen}) and the algorithms behind them, shared
 * by the CPU backends: the symmetric eigen-solver
 * ({@link org.loes4j.linalg.decomp.SymmetricEigenSolver}) is Householder tridiagonalisation
 * ({@link org.loes4j.linalg.decomp.HouseholderTridiagonal}) followed by implicit QL with Wilkinson shifts
 * ({@link org.loes4j.linalg.decomp.TridiagonalQL}), written once over the row primitives of
 * {@link org.loes4j.linalg.decomp.RowOps}, which the scalar and Vector API backends implement.
 */
package org.loes4j.linalg.decomp;
