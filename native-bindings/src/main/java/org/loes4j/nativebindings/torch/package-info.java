/**
 * The LibTorch backend: locating and loading {@code libtorch_cpu.so}, tensor handles owned by
 * {@code AutoCloseable} wrappers, and the linalg kernels on top of the C shim.
 */
package org.loes4j.nativebindings.torch;
