package org.loes4j.linalg.spi;

/**
 * Marker for a family of kernels a backend may offer ({@link GemmKernel}, {@link GramKernel},
 * {@link CholeskyKernel}, {@link EigenKernel}, {@link VectorKernel}). Kernels trust their arguments:
 * shapes, aliasing and finiteness are checked once by {@code org.loes4j.linalg.Linalg}.
 */
public interface Kernel {
}
