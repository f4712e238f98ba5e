/** LibTorch and CUDA backends through FFM; the backends themselves arrive with their own issue. */
package org.loes4j.nativebindings;
