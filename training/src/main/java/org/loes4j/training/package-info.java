/**
 * Training of probes on selected layers: the paper's adapters and probe (spec section 5) by
 * {@link org.loes4j.training.Trainer} with {@link org.loes4j.training.TrainingConfig} presets ({@code default},
 * {@code text}, {@code vision}), and the closed-form ridge probe by {@link org.loes4j.training.RidgeTrainer}
 * (lambda by k-fold CV, {@link org.loes4j.training.RidgeConfig}); data as
 * {@link org.loes4j.data.LayeredEmbeddings} (layers of any widths) and {@link org.loes4j.data.Labels}. Either way
 * the result is a {@link org.loes4j.training.Probe} (also fitted through
 * {@link org.loes4j.training.Probe#builder()}) of a {@link org.loes4j.training.ProbeType}, saved and loaded as one
 * self-describing safetensors file. The layers, GeoReg, the optimiser, the models and the metrics live in the
 * sub-packages {@code nn}, {@code geo}, {@code optim}, {@code model} and {@code metrics}. Nothing here prints:
 * progress goes to a {@link org.loes4j.training.ProgressListener}.
 */
package org.loes4j.training;
