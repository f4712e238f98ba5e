/**
 * Layers with hand-written forward and backward passes on float64 batches ({@link org.loes4j.linalg.DMatrix},
 * one sample per row): {@link org.loes4j.training.nn.LayerNorm}, {@link org.loes4j.training.nn.Linear},
 * {@link org.loes4j.training.nn.Gelu}, {@link org.loes4j.training.nn.Dropout}, and the losses
 * {@link org.loes4j.training.nn.SoftmaxCrossEntropy} and {@link org.loes4j.training.nn.MeanSquaredError}.
 *
 * <p>Why float64 and not float32 storage: the heads trained here are small (a few hundred thousand
 * parameters, activations of 128 x 1024 per batch), so memory is no concern; the gradient checks the
 * contract asks for (central differences, relative error below 1e-6) are only meaningful in float64; and
 * a float32 path would need a twin of every layer for at most a 2x faster product. Embeddings stay
 * float32 on disk and are widened one batch at a time.
 *
 * <p>Layers keep what the backward pass needs from the last forward pass: an instance serves one
 * batch at a time and is not thread-safe.
 */
package org.loes4j.training.nn;
