/** Raw FFM bindings to cudart, cuBLAS and cuSOLVER (generated style, one class per library); not exported. */
package org.loes4j.nativebindings.cuda.internal;
