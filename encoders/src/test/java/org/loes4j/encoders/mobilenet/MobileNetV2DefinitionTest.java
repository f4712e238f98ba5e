package org.loes4j.encoders.mobilenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.encoders.Architectures;
import org.loes4j.encoders.ImageEncoder;
import org.loes4j.encoders.LayerwiseEncoder;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;

/**
 * The importer and the forward pass on nsfwjs's real MobileNetV2 against the definition: the Keras graph
 * interpreted in float64 on the unfolded weights ({@link KerasGraphFloat64}). Needs npm for the model files
 * (skipped without it, {@link NodeFixtures}), not node.
 */
class MobileNetV2DefinitionTest {
    /**
     * Max |float32 forward - float64 graph| over every activation: float32 rounding over some 50 layers
     * (BN folded) whose pre-activations reach 45 in magnitude. Observed 1.2e-4 (block_5_add, 2 images at 224).
     */
    private static final double DEFINITION_ABS_TOL = 2.5e-4;
    /** Max |scalar backend - vector backend| over every activation: two float32 GEMM summation orders. */
    private static final double BACKEND_ABS_TOL = 2.5e-4;
    /** Pooled (rounded once to float32) against the double mean of the same activations. */
    private static final double POOLING_TOL = 1e-6;

    private static TfjsLayersModel graph;
    private static MobileNetV2Weights weights;
    private static float[][] grey;

    /** Per test, not once per class, so that a skip (no npm) is reported on every test with its reason. */
    @BeforeEach
    void load() throws Exception {
        Path dir = NodeFixtures.nsfwjsMobileNetV2();
        if (graph == null) {
            graph = TfjsLayersModel.read(dir);
            weights = KerasMobileNetV2Importer.load(graph);
            grey = TestImages.fashionMnist();
        }
    }

    @Test
    void importerReadsTheArchitecture() {
        assertEquals("2.2.4", graph.kerasVersion());
        assertEquals(162, graph.layers().size());
        assertEquals(266, graph.weights().size());
        assertEquals(17, weights.blocks().size());
        int[] strides = new int[17];
        int[] expansion = new int[17];
        boolean[] residual = new boolean[17];
        for (int i = 0; i < 17; i++) {
            MobileNetV2Weights.Block b = weights.blocks().get(i);
            strides[i] = b.depthwise().stride();
            expansion[i] = b.depthwise().channels() / b.in();
            residual[i] = b.residual();
        }
        // Sandler et al., Table 2: (t, c, n, s) = (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1)
        assertArrayEquals(new int[] {1, 2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1}, strides);
        assertArrayEquals(new int[] {1, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6}, expansion);
        assertArrayEquals(new boolean[] {false, false, true, false, true, true, false, true, true, true, false, true,
            true, false, true, true, false}, residual);
        assertEquals(Padding.explicit(0, 1, 0, 1), weights.stem().padding());
        assertEquals(Padding.explicit(0, 1, 0, 1), weights.blocks().get(1).depthwise().padding());
        assertEquals(Padding.SAME, weights.blocks().get(2).depthwise().padding());
        assertEquals(27, weights.stem().kernel().rows());
        assertEquals(1280, weights.head().out());
        assertEquals(32, new MobileNetV2(weights, Linalg.get()).minimumSize());
    }

    @Test
    void uint8WeightsAreDequantisedAsTensorFlowJsDoes() {
        // Conv1/kernel: quantization {min: -.87334511607301, scale: .006666756611244351}; every value is
        // (float) (q scale + min) for an integer q in [0, 255].
        double min = -.87334511607301;
        double scale = .006666756611244351;
        float[] k = graph.weights().get("Conv1/kernel").values();
        assertEquals(3 * 3 * 3 * 32, k.length);
        for (float v : k) {
            long q = Math.round((v - min) / scale);
            assertTrue(q >= 0 && q <= 255, "q " + q);
            assertEquals((float) (q * scale + min), v);
        }
    }

    @Test
    void forwardPassMatchesTheFloat64Graph() {
        List<String> failures = new ArrayList<>();
        failures.addAll(compareWithDefinition(224, 224, 2));
        failures.addAll(compareWithDefinition(75, 101, 1));
        assertTrue(failures.isEmpty(), "beyond tolerance: " + failures);
    }

    private static List<String> compareWithDefinition(int h, int w, int n) {
        MobileNetV2 model = new MobileNetV2(weights, Linalg.get());
        float[] pixels = TestImages.resizeNearest(grey, n, h, w);
        List<String> taps = model.tapNames();
        double[] maxDiff = new double[taps.size()];
        double[] maxRef = new double[taps.size()];
        List<Map<String, KerasGraphFloat64.Activation>> ref = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ref.add(KerasGraphFloat64.run(graph, pixels, i * h * w * 3, h, w, MobileNetV2Weights.HEAD_TAP));
        }
        model.forward(new ImageBatch(pixels, n, h, w), (t, a, images, th, tw) -> {
            for (int i = 0; i < images; i++) {
                KerasGraphFloat64.Activation want = ref.get(i).get(taps.get(t));
                assertEquals(th, want.h(), taps.get(t));
                assertEquals(tw, want.w(), taps.get(t));
                assertEquals(a.cols(), want.c(), taps.get(t));
                int base = i * th * tw * a.cols();
                for (int j = 0; j < want.v().length; j++) {
                    maxDiff[t] = Math.max(maxDiff[t], Math.abs(a.data()[base + j] - want.v()[j]));
                    maxRef[t] = Math.max(maxRef[t], Math.abs(want.v()[j]));
                }
            }
        });
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "MobileNetV2 float32 vs the float64 Keras graph, %d images of %dx%d%n", n, h, w));
        List<String> failures = new ArrayList<>();
        for (int t = 0; t < taps.size(); t++) {
            report.append(String.format(Locale.ROOT, "%-26s max|diff| %.3g  max|f64| %.3g%n", taps.get(t),
                    maxDiff[t], maxRef[t]));
            if (maxDiff[t] > DEFINITION_ABS_TOL) {
                failures.add(taps.get(t) + " at " + h + "x" + w);
            }
        }
        System.out.print(report);
        return failures;
    }

    @Test
    void depthwiseTwinsGiveTheSameBitsThroughTheWholeModel() {
        float[] pixels = TestImages.resizeNearest(grey, 2, 64, 48);
        List<FMatrix> vector = taps(new MobileNetV2(weights, Linalg.get(), VectorDepthwiseKernel.INSTANCE), pixels, 64, 48);
        List<FMatrix> scalar = taps(new MobileNetV2(weights, Linalg.get(), ScalarDepthwiseKernel.INSTANCE), pixels, 64, 48);
        for (int t = 0; t < vector.size(); t++) {
            assertArrayEquals(vector.get(t).data(), scalar.get(t).data(), "tap " + t);
        }
    }

    @Test
    void scalarBackendAgreesWithTheVectorBackend() {
        MobileNetV2 scalarModel = new MobileNetV2(weights, Linalg.using("scalar"));
        assertEquals("scalar", scalarModel.depthwiseKernel());
        float[] pixels = TestImages.resizeNearest(grey, 2, 64, 48);
        List<FMatrix> vector = taps(new MobileNetV2(weights, Linalg.get()), pixels, 64, 48);
        List<FMatrix> scalar = taps(scalarModel, pixels, 64, 48);
        for (int t = 0; t < vector.size(); t++) {
            float[] a = vector.get(t).data();
            float[] b = scalar.get(t).data();
            double max = 0;
            double diff = 0;
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i]));
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
            }
            assertTrue(diff <= BACKEND_ABS_TOL, "tap " + t + ": " + diff + " at magnitude " + max);
        }
    }

    /** Every tap of a forward pass, copied out of the work buffers. */
    private static List<FMatrix> taps(MobileNetV2 model, float[] pixels, int h, int w) {
        List<FMatrix> out = new ArrayList<>();
        model.forward(new ImageBatch(pixels, pixels.length / (h * w * 3), h, w), (t, a, n, th, tw) -> out.add(a.copy()));
        assertEquals(model.taps(), out.size());
        return out;
    }

    @Test
    void mobileNetIsALayerwiseEncoderLoadedByTheRegistry() throws Exception {
        String dir = NodeFixtures.nsfwjsMobileNetV2().toString();
        assertSame(Architectures.MOBILENET_V2, Architectures.detect(dir));
        ImageEncoder encoder = assertInstanceOf(ImageEncoder.class, Architectures.load(dir, Linalg.get()));
        assertEquals("mobilenet_v2", encoder.architecture());
        assertEquals(LayerwiseEncoder.Modality.IMAGE, encoder.modality());
        assertEquals(weights.tapNames(), encoder.layerNames());
        assertArrayEquals(weights.tapWidths(), encoder.layerWidths());

        float[] pixels = TestImages.resizeNearest(grey, 3, 64, 48);
        LayeredEmbeddings layers = encoder.encodeLayers(new ImageBatch(pixels, 3, 64, 48));
        assertEquals(18, layers.layerCount());
        assertArrayEquals(weights.tapWidths(), layers.widths());
        // Pooling is the per-image channel mean of each tap, whatever the batch size.
        List<FMatrix> taps = taps(new MobileNetV2(weights, Linalg.get()), pixels, 64, 48);
        int[][] sizes = encoder.model().tapSizes(64, 48);
        for (int t = 0; t < taps.size(); t++) {
            DMatrix pooled = layers.load(t);
            int pixelsPerImage = sizes[t][0] * sizes[t][1];
            for (int i = 0; i < 3; i++) {
                for (int c = 0; c < taps.get(t).cols(); c++) {
                    double sum = 0;
                    for (int p = 0; p < pixelsPerImage; p++) {
                        sum += taps.get(t).get(i * pixelsPerImage + p, c);
                    }
                    assertEquals(sum / pixelsPerImage, pooled.get(i, c), POOLING_TOL, "tap " + t + ", image " + i);
                }
            }
        }
    }

    @Test
    void badInputsAreRejectedAtTheBoundary() {
        MobileNetV2 model = new MobileNetV2(weights, Linalg.get());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> model.forward(new ImageBatch(new float[31 * 40 * 3], 1, 31, 40), (t, a, n, h, w) -> { }));
        assertTrue(small.getMessage().contains("31 x 40 are too small") && small.getMessage().contains("32 x 32"),
                small.getMessage());
        float[] nan = new float[32 * 32 * 3];
        nan[100] = Float.NaN;
        IllegalArgumentException nonFinite = assertThrows(IllegalArgumentException.class,
                () -> model.forward(new ImageBatch(nan, 1, 32, 32), (t, a, n, h, w) -> { }));
        assertEquals("batch: value NaN in image 0, pixel 33, channel 1", nonFinite.getMessage());
        assertFalse(model.tapNames().isEmpty());
        int[][] sizes = model.tapSizes(32, 32);
        assertArrayEquals(new int[] {1, 1}, sizes[sizes.length - 1]);
    }
}
