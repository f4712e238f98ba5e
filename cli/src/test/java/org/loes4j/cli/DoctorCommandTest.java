package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class DoctorCommandTest {

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void doctorReportsTheMachineAndEveryBackend() {
        String[] r = run("doctor");
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        for (String line : new String[] {"loes4j ", "JDK", "OS/arch", "cores", "vectors", "FMA", "backends:",
                "scalar", "vector", "chosen:", "kernels:", "GemmKernel", "EigenKernel"}) {
            assertTrue(out.contains(line), "doctor output lacks '" + line + "':\n" + out);
        }
        assertTrue(out.contains("<- chosen"), out);
    }

    @Test
    void doctorShowsTheNativeBackendsWithVersionDeviceOrReason() {
        String out = run("doctor")[1];
        assertTrue(out.contains("  torch    available     LibTorch 2.7.1"), out);
        assertTrue(out.contains("libtorch=2.7.1") && out.contains("device=cpu"), out);
        assertTrue(out.contains("  cuda     "), out);
        assertTrue(out.contains("cudart="), "cuda details must say which runtime was found:\n" + out);
    }

    /**
     * Every backend's start-up self-check: run (and passed) on LibTorch, which is available here although
     * auto chooses vector; not run on the pure-Java backends nor on an unavailable CUDA.
     */
    @Test
    void doctorShowsTheSelfCheckOfEveryBackend() {
        String out = run("doctor")[1];
        assertTrue(out.contains("self-check passed: 5 of 5 checks against the scalar reference"), out);
        String torch = out.substring(out.indexOf("  torch    "));
        String torchCheck = torch.lines().filter(l -> l.contains("self-check")).findFirst().orElseThrow();
        assertTrue(torchCheck.contains("passed: 5 of 5") && torchCheck.matches(".* \\(\\d+\\.\\d ms\\)$"), torchCheck);
        String vector = out.substring(out.indexOf("  vector   "));
        assertTrue(vector.lines().skip(1).findFirst().orElseThrow()
                .contains("self-check not run: pure Java, no native code to check"), out);
        String scalar = out.substring(out.indexOf("  scalar   "));
        assertTrue(scalar.contains("self-check not run: pure Java, no native code to check"), out);
        if (out.contains("  cuda     unavailable")) {
            String cuda = out.substring(out.indexOf("  cuda     "));
            assertTrue(cuda.lines().filter(l -> l.contains("self-check")).findFirst().orElseThrow()
                    .contains("self-check not run: unavailable"), out);
        }
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCode2() {
        String[] r = run("doctor", "--no-such-flag");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("loes: error: "), r[2]);
        assertTrue(r[2].contains("--no-such-flag"), r[2]);
    }

    @Test
    void badThreadCountNamesTheOption() {
        String[] r = run("doctor", "--threads", "0");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--threads"), r[2]);
    }
}
