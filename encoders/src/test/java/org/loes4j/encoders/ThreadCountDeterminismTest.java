package org.loes4j.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.concurrent.LinalgExecutor;

/**
 * The encoder gives the same bits whatever the thread count: every GEMM is bitwise independent of how its
 * output is split, each (sample, head) attention and each row's LayerNorm/GELU is computed by one thread
 * alone. A child JVM with a different {@code loes4j.threads} encodes the same mixed-length texts (batches
 * of 4 packed rows of unequal lengths) and its pooled states, CLS and mean, must equal this JVM's exactly.
 * The two JVMs also differ in what the JIT has compiled when each kernel runs, so this catches operations
 * whose bits depend on it (it failed, also with equal thread counts, while the attention kernel used the
 * Vector API's EXP and reduceLanes(ADD)).
 */
class ThreadCountDeterminismTest {

    @Test
    void pooledStatesAreBitwiseEqualAcrossThreadCounts() throws Exception {
        int here = LinalgExecutor.threads();
        int other = here == 1 ? 2 : 1;
        float[] mine = encode();

        Path out = TestModels.tempDir("thread-determinism").resolve("states-" + other + ".bin");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "-D" + LinalgExecutor.THREADS_PROPERTY + "=" + other,
                "-cp", System.getProperty("java.class.path"), ChildMain.class.getName(), out.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(other, buf.getInt(), "child's thread count");
        assertEquals(mine.length, buf.getInt(), "values");
        int differing = 0;
        int firstDiff = -1;
        for (int i = 0; i < mine.length; i++) {
            if (Float.floatToRawIntBits(mine[i]) != buf.getInt()) {
                differing++;
                if (firstDiff < 0) {
                    firstDiff = i;
                }
            }
        }
        assertEquals(0, differing, here + " vs " + other + " threads: " + differing + " of " + mine.length
                + " values differ, the first at " + firstDiff);
    }

    /** CLS then mean pooled states of every text and hidden state, concatenated. */
    static float[] encode() throws Exception {
        List<String> all = TestModels.sentences();
        List<String> texts = new ArrayList<>();
        // Short and long texts mixed, so every batch packs rows of unequal lengths.
        for (int i = 0; i < 10; i++) {
            texts.add(all.get(i * 7 % all.size()));
        }
        texts.add("Yes.");
        texts.add(String.join(" ", all.subList(0, 4)));
        TextEncoder encoder = TextEncoder.load(TestModels.files(KnownModel.ALL_MINILM_L6_V2), Linalg.get());
        TextEncoder.Result pooled = encoder.encode(texts,
                new TextEncoder.Options(EnumSet.of(Pooling.CLS, Pooling.MEAN), 128, 4));
        float[] cls = pooled.flat(Pooling.CLS).data();
        float[] mean = pooled.flat(Pooling.MEAN).data();
        float[] both = new float[cls.length + mean.length];
        System.arraycopy(cls, 0, both, 0, cls.length);
        System.arraycopy(mean, 0, both, cls.length, mean.length);
        return both;
    }

    /** Runs in the child JVM: writes its thread count, the number of values and their raw bits. */
    public static final class ChildMain {
        public static void main(String[] args) throws Exception {
            float[] v = encode();
            ByteBuffer buf = ByteBuffer.allocate(8 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.putInt(LinalgExecutor.threads()).putInt(v.length);
            for (float f : v) {
                buf.putInt(Float.floatToRawIntBits(f));
            }
            Files.write(Path.of(args[0]), buf.array());
        }
    }
}
