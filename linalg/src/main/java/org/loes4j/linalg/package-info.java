/**
 * Matrices ({@link org.loes4j.linalg.DMatrix}, {@link org.loes4j.linalg.FMatrix},
 * {@link org.loes4j.linalg.SegmentMatrix}), the checked facade {@link org.loes4j.linalg.Linalg}, and the
 * backend chain {@link org.loes4j.linalg.Backends}.
 */
package org.loes4j.linalg;
