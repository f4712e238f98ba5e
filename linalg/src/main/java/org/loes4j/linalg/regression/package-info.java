/**
 * Ridge regression with intercept: {@link org.loes4j.linalg.regression.Ridge} solves one lambda, primal or dual
 * (Woodbury) by shape, by Cholesky; {@link org.loes4j.linalg.regression.RidgePath} gets the whole lambda path of
 * standardised features from one symmetric eigen-decomposition, and the weights at any lambda;
 * {@link org.loes4j.linalg.regression.Standardiser} is the per-column standardisation both probes fit on their
 * training rows; {@link org.loes4j.linalg.regression.RidgeCv} scores one cross-validation fold over a lambda grid
 * and chooses lambda (the core the layer probe and the closed-form ridge probe share).
 */
package org.loes4j.linalg.regression;
