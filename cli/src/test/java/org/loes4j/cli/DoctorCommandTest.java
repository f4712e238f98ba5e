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
