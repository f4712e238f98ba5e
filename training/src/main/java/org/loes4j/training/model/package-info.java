/**
 * The trainable head of the paper: per-layer adapters fused by concatenation (or by the learnable
 * softmax-weighted sum baseline, or no adapters at all), followed by the probe.
 */
package org.loes4j.training.model;
