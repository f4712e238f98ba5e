/**
 * Dense linear algebra for loes4j: row-major float32/float64 matrices, one backend interface
 * ({@link org.loes4j.linalg.spi.Backend}) found with {@link java.util.ServiceLoader}, and the
 * decompositions and regressions the selection and training code computes through.
 *
 * <p>The Vector API is a {@code requires static}: without {@code --add-modules jdk.incubator.vector}
 * the library still works on the scalar backend, and says so loudly once.
 */
module org.loes4j.linalg {
    requires static jdk.incubator.vector;

    exports org.loes4j.linalg;
    exports org.loes4j.linalg.spi;
    exports org.loes4j.linalg.decomp;
    exports org.loes4j.linalg.regression;
    exports org.loes4j.linalg.concurrent;
    exports org.loes4j.linalg.io;

    uses org.loes4j.linalg.spi.Backend;

    provides org.loes4j.linalg.spi.Backend with
            org.loes4j.linalg.scalar.ScalarBackend,
            org.loes4j.linalg.simd.VectorBackend;
}
