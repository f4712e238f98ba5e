/**
 * Training of adapters and probes on selected layers (spec section 5): {@link org.loes4j.training.Trainer}
 * with {@link org.loes4j.training.TrainingConfig} presets ({@code text}, {@code vision}), data as
 * {@link org.loes4j.data.LayeredEmbeddings} (layers of any widths) and {@link org.loes4j.data.Labels}, and the
 * trained {@link org.loes4j.training.Probe} (also fitted through {@link org.loes4j.training.Probe#builder()}), saved and loaded as one self-describing safetensors file.
 * The layers, GeoReg, the optimiser and the metrics live in the sub-packages {@code nn}, {@code geo},
 * {@code optim}, {@code model} and {@code metrics}. Nothing here prints: progress goes to a
 * {@link org.loes4j.training.ProgressListener}.
 */
package org.loes4j.training;
