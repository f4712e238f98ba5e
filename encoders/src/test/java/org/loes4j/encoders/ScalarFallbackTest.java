package org.loes4j.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;

/**
 * The encoder without the Vector API: a JVM started without {@code --add-modules jdk.incubator.vector}
 * runs the scalar linalg backend and the scalar attention kernel, and must give the same pooled hidden
 * states as this (vector) JVM.
 */
class ScalarFallbackTest {
    /** Float32 results of two different summation orders over 6 blocks of MiniLM. */
    private static final double TOL = 1e-4;

    @Test
    void aJvmWithoutTheVectorModuleEncodesTheSame() throws Exception {
        List<String> texts = TestModels.sentences().subList(0, 3);
        TextEncoder encoder = TextEncoder.load(TestModels.files(KnownModel.ALL_MINILM_L6_V2), Linalg.get());
        FMatrix here = TestModels.sample(encoder.encode(texts, new TextEncoder.Options(EnumSet.of(Pooling.MEAN), 64, 4)),
                Pooling.MEAN, 2);

        Path out = TestModels.tempDir("scalar-fallback").resolve("states.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ChildMain.class.getName(), out.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        List<String> lines = Files.readAllLines(out);
        assertEquals("backend=scalar vectorModule=false", lines.get(0), log);
        String[] values = lines.get(1).split(" ");
        assertEquals(here.rows() * here.cols(), values.length);
        double scale = 0;
        for (int k = 0; k < here.rows(); k++) {
            for (int j = 0; j < here.cols(); j++) {
                scale = Math.max(scale, Math.abs(here.get(k, j)));
            }
        }
        for (int k = 0; k < here.rows(); k++) {
            for (int j = 0; j < here.cols(); j++) {
                double child = Float.parseFloat(values[k * here.cols() + j]);
                assertEquals(here.get(k, j), child, TOL * scale, "state " + k + ", column " + j);
            }
        }
    }

    /** Runs in the child JVM: encodes the same texts and writes the third text's mean-pooled states. */
    public static final class ChildMain {
        public static void main(String[] args) throws Exception {
            List<String> texts = TestModels.sentences().subList(0, 3);
            Linalg la = Linalg.get();
            TextEncoder encoder = TextEncoder.load(TestModels.files(KnownModel.ALL_MINILM_L6_V2), la);
            FMatrix m = TestModels.sample(encoder.encode(texts, new TextEncoder.Options(EnumSet.of(Pooling.MEAN), 64, 4)),
                    Pooling.MEAN, 2);
            StringBuilder sb = new StringBuilder();
            sb.append("backend=").append(la.backends().chosen().name()).append(" vectorModule=")
                    .append(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()).append('\n');
            for (int k = 0; k < m.rows(); k++) {
                for (int j = 0; j < m.cols(); j++) {
                    sb.append(k == 0 && j == 0 ? "" : " ").append(m.get(k, j));
                }
            }
            Files.writeString(Path.of(args[0]), sb.append('\n').toString());
        }
    }
}
