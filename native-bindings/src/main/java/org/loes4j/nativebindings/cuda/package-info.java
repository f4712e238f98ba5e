/**
 * The CUDA backend: finding cudart/cuBLAS/cuSOLVER and a device (and saying precisely what is missing),
 * column-major kernels for row-major matrices, and the device-resident operand cache.
 */
package org.loes4j.nativebindings.cuda;
