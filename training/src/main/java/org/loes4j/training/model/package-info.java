/**
 * The models a probe evaluates ({@link org.loes4j.training.model.ProbeModel}): the trainable head of the paper,
 * per-layer adapters fused by concatenation (or by the learnable softmax-weighted sum baseline, or no adapters
 * at all) followed by the probe ({@link org.loes4j.training.model.ProbeNetwork}); and the closed-form ridge on the
 * standardised layers side by side ({@link org.loes4j.training.model.RidgeModel}).
 */
package org.loes4j.training.model;
