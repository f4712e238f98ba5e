package org.loes4j.training;

/**
 * The outcome of {@link RidgeTrainer#train}: the fitted probe and how its lambda was chosen.
 *
 * @param probe       the ridge probe, refitted on all training rows at the chosen lambda
 * @param lambda      the chosen ridge strength
 * @param lambdas     the grid tried, ascending
 * @param cvScores    the mean CV score of every lambda (accuracy or R^2, see {@code scoreName})
 * @param foldScores  the held-out score of every fold at the chosen lambda
 * @param cvScore     the mean CV score at the chosen lambda
 * @param cvStd       its population standard deviation over folds
 * @param scoreName   {@code "accuracy"} or {@code "r2"}
 * @param atGridEdge  true when the chosen lambda is the smallest or largest of a grid of more than one: the
 *                    best may lie outside the grid
 * @param seconds     wall time of cross-validation and refit
 */
public record RidgeResult(Probe probe, double lambda, double[] lambdas, double[] cvScores, double[] foldScores,
                          double cvScore, double cvStd, String scoreName, boolean atGridEdge, double seconds) {

    public RidgeResult {
        lambdas = lambdas.clone();
        cvScores = cvScores.clone();
        foldScores = foldScores.clone();
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }

    @Override
    public double[] cvScores() {
        return cvScores.clone();
    }

    @Override
    public double[] foldScores() {
        return foldScores.clone();
    }
}
