package org.loes4j.bench.peer.openblas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * FFM bindings to the OpenBLAS shipped in {@code org.bytedeco:openblas:linux-x86_64} (the .so files are
 * extracted by {@link NativeLibraries} first; dlopen cannot read from a jar). Allowlist: exactly the
 * functions the benchmarks call. The handles are {@code static final}, built once when this class is
 * initialised; if the library cannot be loaded, initialisation fails and {@link #availability()} of the
 * peer reports why.
 *
 * <p>Signatures follow OpenBLAS's {@code cblas.h} and {@code lapacke.h} with 32-bit integers
 * ({@code blasint}/{@code lapack_int} are {@code int} in this build: {@link #config()} does not contain
 * {@code USE64BITINT}, checked at load). C {@code char} arguments map to {@code JAVA_BYTE}, C enums to
 * {@code JAVA_INT}. Regenerate by reading those headers (they are in the same jar under
 * {@code org/bytedeco/openblas/linux-x86_64/include/}).
 */
@SuppressWarnings("restricted") // FFM library lookup and downcalls: the forks run with --enable-native-access
public final class OpenBlas {
    /** {@code CBLAS_ORDER.CblasRowMajor}. */
    public static final int ROW_MAJOR = 101;
    /** {@code LAPACK_COL_MAJOR}. */
    public static final int COL_MAJOR = 102;
    /** {@code CBLAS_TRANSPOSE.CblasNoTrans}. */
    public static final int NO_TRANS = 111;
    /** {@code CBLAS_TRANSPOSE.CblasTrans}. */
    public static final int TRANS = 112;
    /** {@code CBLAS_UPLO.CblasUpper}. */
    public static final int UPPER = 121;
    /** {@code CBLAS_UPLO.CblasLower}. */
    public static final int LOWER = 122;

    private static final Path LIBRARY = NativeLibraries.extractOpenBlas();
    private static final SymbolLookup LOOKUP = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
    private static final Linker LINKER = Linker.nativeLinker();

    private static final MethodHandle CBLAS_DGEMM = handle("cblas_dgemm", FunctionDescriptor.ofVoid(
            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT));
    private static final MethodHandle CBLAS_SGEMM = handle("cblas_sgemm", FunctionDescriptor.ofVoid(
            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT));
    private static final MethodHandle CBLAS_DSYRK = handle("cblas_dsyrk", FunctionDescriptor.ofVoid(
            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_DOUBLE, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT));
    private static final MethodHandle LAPACKE_DPOTRF = handle("LAPACKE_dpotrf", FunctionDescriptor.of(
            JAVA_INT, JAVA_INT, JAVA_BYTE, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LAPACKE_DSYEVD = handle("LAPACKE_dsyevd", FunctionDescriptor.of(
            JAVA_INT, JAVA_INT, JAVA_BYTE, JAVA_BYTE, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle SET_NUM_THREADS = handle("openblas_set_num_threads",
            FunctionDescriptor.ofVoid(JAVA_INT));
    private static final MethodHandle GET_NUM_THREADS = handle("openblas_get_num_threads",
            FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GET_CONFIG = handle("openblas_get_config", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle GET_CORENAME = handle("openblas_get_corename",
            FunctionDescriptor.of(ADDRESS));

    static {
        String config = config();
        if (config.contains("USE64BITINT")) {
            throw new IllegalStateException("OpenBLAS at " + LIBRARY + " uses 64-bit integers (" + config
                    + "); these bindings assume 32-bit ones");
        }
    }

    private OpenBlas() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LOOKUP.find(name).orElseThrow(
                () -> new IllegalStateException("symbol " + name + " not found in " + LIBRARY));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /** Where the library was loaded from. */
    public static Path library() {
        return LIBRARY;
    }

    /** {@code openblas_get_config()}: version and build options. */
    public static String config() {
        return cString(GET_CONFIG);
    }

    /** {@code openblas_get_corename()}: the kernel set chosen for this CPU (e.g. {@code Zen}). */
    public static String coreName() {
        return cString(GET_CORENAME);
    }

    private static String cString(MethodHandle h) {
        try {
            MemorySegment p = (MemorySegment) h.invokeExact();
            // A static NUL-terminated string of well under 4 KiB (version and build flags).
            return p.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code openblas_set_num_threads(n)}; OpenBLAS's own pthread pool, independent of Java's. */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n: " + n + " must be >= 1");
        }
        try {
            SET_NUM_THREADS.invokeExact(n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code openblas_get_num_threads()}. */
    public static int threads() {
        try {
            return (int) GET_NUM_THREADS.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code cblas_dgemm}: {@code C = alpha op(A) op(B) + beta C}, all matrices in native memory. */
    public static void dgemm(int order, int transA, int transB, int m, int n, int k, double alpha,
                             MemorySegment a, int lda, MemorySegment b, int ldb, double beta,
                             MemorySegment c, int ldc) {
        try {
            CBLAS_DGEMM.invokeExact(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code cblas_sgemm}, the float32 twin of {@link #dgemm}. */
    public static void sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
                             MemorySegment a, int lda, MemorySegment b, int ldb, float beta,
                             MemorySegment c, int ldc) {
        try {
            CBLAS_SGEMM.invokeExact(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code cblas_dsyrk}: {@code C = alpha op(A) op(A)^T + beta C} on the {@code uplo} triangle only. */
    public static void dsyrk(int order, int uplo, int trans, int n, int k, double alpha, MemorySegment a,
                             int lda, double beta, MemorySegment c, int ldc) {
        try {
            CBLAS_DSYRK.invokeExact(order, uplo, trans, n, k, alpha, a, lda, beta, c, ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code LAPACKE_dpotrf}; returns LAPACK's info (0 = success, i > 0 = pivot i not positive). */
    public static int dpotrf(int layout, char uplo, int n, MemorySegment a, int lda) {
        try {
            return (int) LAPACKE_DPOTRF.invokeExact(layout, (byte) uplo, n, a, lda);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code LAPACKE_dsyevd} (divide and conquer); eigenvalues ascending into w; returns info. */
    public static int dsyevd(int layout, char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w) {
        try {
            return (int) LAPACKE_DSYEVD.invokeExact(layout, (byte) jobz, (byte) uplo, n, a, lda, w);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("OpenBLAS downcall failed", t);
    }
}
