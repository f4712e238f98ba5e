/**
 * Native backends for the linalg interface, bound with Java FFM (no JNI): LibTorch's C shim and CUDA
 * (cudart, cuBLAS, cuSOLVER). Nothing in linalg, selection or training depends on this module at compile
 * time; it plugs in through {@link java.util.ServiceLoader}. No package is exported: the backends are
 * reached only as {@link org.loes4j.linalg.spi.Backend} services, and the raw bindings stay internal.
 */
module org.loes4j.nativebindings {
    requires org.loes4j.linalg;

    provides org.loes4j.linalg.spi.Backend with
            org.loes4j.nativebindings.torch.TorchBackend,
            org.loes4j.nativebindings.cuda.CudaBackend;
}
