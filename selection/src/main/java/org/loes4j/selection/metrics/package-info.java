/**
 * Layer metrics: the LOES terms (isotropy, redundancy, class-centroid triangle area) and the
 * Layer-by-Layer diagnostics (matrix entropy, curvature, effective rank, TwoNN intrinsic dimension).
 */
package org.loes4j.selection.metrics;
