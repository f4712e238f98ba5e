/**
 * Training of adapters and probes on selected layers (spec section 5): {@link org.loes4j.training.Trainer}
 * with {@link org.loes4j.training.TrainingConfig} presets ({@code text}, {@code vision}), data as
 * {@link org.loes4j.training.Embeddings} and {@link org.loes4j.training.Targets}, and the trained
 * {@link org.loes4j.training.Probe}, saved and loaded as one self-describing safetensors file.
 * The layers, GeoReg, the optimiser and the metrics live in the sub-packages {@code nn}, {@code geo},
 * {@code optim}, {@code model} and {@code metrics}. Nothing here prints: progress goes to a
 * {@link org.loes4j.training.ProgressListener}.
 */
package org.loes4j.training;
