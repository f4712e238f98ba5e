package org.loes4j.encoders.bert;

/**
 * The exact (erf) GELU of BERT: {@code gelu(x) = x/2 (1 + erf(x / sqrt 2))}.
 *
 * <p>{@code erf} is evaluated in float32 as the odd rational approximation used by Eigen and XLA:
 * {@code erf(x) = x p(x^2) / q(x^2)} with x clamped to [-4, 4] (beyond which erf is 1 to float
 * precision), p of degree 6 and q of degree 4 in x^2. Its error against the exact erf is below 1e-6
 * (checked by {@code GeluTest} against a double-precision series), well inside the 1e-4 agreement
 * asked of the encoder.
 */
final class Gelu {
    private static final float A13 = -2.72614225801306e-10f;
    private static final float A11 = 2.77068142495902e-08f;
    private static final float A9 = -2.10102402082508e-06f;
    private static final float A7 = -5.69250639462346e-05f;
    private static final float A5 = -7.34990630326855e-04f;
    private static final float A3 = -2.95459980854025e-03f;
    private static final float A1 = -1.60960333262415e-02f;
    private static final float B8 = -1.45660718464996e-05f;
    private static final float B6 = -2.13374055278905e-04f;
    private static final float B4 = -1.68282697438203e-03f;
    private static final float B2 = -7.37332916720468e-03f;
    private static final float B0 = -1.42647390514189e-02f;
    private static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));

    private Gelu() {
    }

    /** {@code erf(x)} in float32 (see the class comment for the approximation). */
    static float erf(float x) {
        float c = Math.max(-4f, Math.min(4f, x));
        float x2 = c * c;
        float p = A13;
        p = p * x2 + A11;
        p = p * x2 + A9;
        p = p * x2 + A7;
        p = p * x2 + A5;
        p = p * x2 + A3;
        p = p * x2 + A1;
        float q = B8;
        q = q * x2 + B6;
        q = q * x2 + B4;
        q = q * x2 + B2;
        q = q * x2 + B0;
        return c * p / q;
    }

    /** {@code gelu(x)} for one value. */
    static float gelu(float x) {
        return 0.5f * x * (1f + erf(x * INV_SQRT2));
    }

    /** Replaces {@code a[from, to)} by its GELU, in place. A plain loop the JIT can vectorise. */
    static void applyInPlace(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            float x = a[i];
            float c = Math.max(-4f, Math.min(4f, x * INV_SQRT2));
            float x2 = c * c;
            float p = A13;
            p = p * x2 + A11;
            p = p * x2 + A9;
            p = p * x2 + A7;
            p = p * x2 + A5;
            p = p * x2 + A3;
            p = p * x2 + A1;
            float q = B8;
            q = q * x2 + B6;
            q = q * x2 + B4;
            q = q * x2 + B2;
            q = q * x2 + B0;
            a[i] = 0.5f * x * (1f + c * p / q);
        }
    }
}
