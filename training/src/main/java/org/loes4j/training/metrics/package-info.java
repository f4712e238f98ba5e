/** Evaluation metrics: accuracy, macro-F1 and the confusion matrix; RMSE, MAE and R^2. */
package org.loes4j.training.metrics;
