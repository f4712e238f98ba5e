/** Raw FFM bindings to LibTorch's C shim (generated style, from {@code torch-allowlist.txt}); not exported. */
package org.loes4j.nativebindings.torch.internal;
