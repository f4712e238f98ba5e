/**
 * Baseline layer choices (spec section 3) with the same result shape as LOES: last, last-k, random-k,
 * metric top-k (dataset entropy, curvature, TwoNN intrinsic dimension) and exhaustive search scored by a
 * cross-validated ridge probe.
 */
package org.loes4j.selection.baselines;
