package org.loes4j.nativebindings.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loes4j.nativebindings.testing.ChildJvm;

/**
 * What only a fresh process shows: {@code -Dloes4j.backend=torch} selects LibTorch through the process-wide
 * chain (level-1 kernels still come from the vector backend), {@code auto} keeps the vector backend, and a
 * missing or broken LibTorch is reported as unavailable with its reason while the process carries on.
 */
class TorchProcessTest {

    private static String line(String out, String prefix) {
        for (String l : out.split("\n")) {
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length()).trim();
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' in:\n" + out);
    }

    @Test
    void theSystemPropertySelectsTorchAndOtherKernelsFallBack() throws IOException, InterruptedException {
        ChildJvm.Result torch = ChildJvm.run(List.of("-Dloes4j.backend=torch"), ProbeMain.class);
        assertEquals(0, torch.exit(), torch.stderr());
        assertEquals("torch", line(torch.stdout(), "chosen "));
        assertEquals("{GemmKernel=torch, CholeskyKernel=torch, VectorKernel=vector}", line(torch.stdout(), "owners "));
        assertTrue(torch.stderr().contains("loes4j linalg backend: torch"), "the choice must be announced: " + torch.stderr());

        ChildJvm.Result auto = ChildJvm.run(List.of(), ProbeMain.class);
        assertEquals(0, auto.exit(), auto.stderr());
        assertEquals("vector", line(auto.stdout(), "chosen "));
        double n1 = Double.parseDouble(line(torch.stdout(), "norm "));
        double n2 = Double.parseDouble(line(auto.stdout(), "norm "));
        assertEquals(n2, n1, 1e-12 * n2, "the same product on both backends");
    }

    @Test
    void aDirectoryWithoutLibTorchIsAReason(@TempDir Path empty) throws IOException, InterruptedException {
        ChildJvm.Result r = ChildJvm.run(List.of("-Dloes4j.torch.dir=" + empty), ProbeMain.class);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("false -Dloes4j.torch.dir=" + empty + " has no libtorch_cpu.so", line(r.stdout(), "backend torch "));
        assertEquals("vector", line(r.stdout(), "chosen "));
    }

    @Test
    void aBrokenLibraryIsAReasonNotACrash(@TempDir Path dir) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("libtorch_cpu.so"), "not an ELF file");
        ChildJvm.Result r = ChildJvm.run(List.of("-Dloes4j.torch.dir=" + dir), ProbeMain.class);
        assertEquals(0, r.exit(), r.stderr());
        String torch = line(r.stdout(), "backend torch ");
        assertTrue(torch.startsWith("false libtorch_cpu.so in " + dir + " failed to load"), torch);

        ChildJvm.Result asked = ChildJvm.run(List.of("-Dloes4j.torch.dir=" + dir, "-Dloes4j.backend=torch"),
                ProbeMain.class);
        assertTrue(asked.exit() != 0, "asking for an unavailable backend must fail");
        assertTrue(asked.stderr().contains("backend 'torch' is not available: libtorch_cpu.so in " + dir),
                asked.stderr());
    }

    @Test
    void aMissingJarIsAReasonThatSaysWhereItLooked(@TempDir Path nowhere) throws IOException, InterruptedException {
        Path jar = nowhere.resolve("pytorch-native-cpu-2.7.1-linux-x86_64.jar");
        ChildJvm.Result r = ChildJvm.run(List.of("-Dloes4j.torch.jar=" + jar), ProbeMain.class);
        assertEquals(0, r.exit(), r.stderr());
        String torch = line(r.stdout(), "backend torch ");
        assertTrue(torch.startsWith("false no LibTorch: ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64 not found"), torch);
        assertTrue(torch.contains(jar.toString()), torch);
    }
}
