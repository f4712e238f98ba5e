/** The Vector API backend. */
package org.loes4j.linalg.simd;
