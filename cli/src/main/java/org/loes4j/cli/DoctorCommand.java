package org.loes4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.loes4j.linalg.BackendSelfCheck;
import org.loes4j.linalg.Backends;
import org.loes4j.linalg.LibraryInfo;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.spi.Backend;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.EigenKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.GramKernel;
import org.loes4j.linalg.spi.Kernel;
import org.loes4j.linalg.spi.VectorKernel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code loes doctor}: what this machine and JVM give loes4j, and which backend computes. Every available
 * native backend is self-checked against the scalar reference here, chosen or not.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Report the JDK, CPU features, threads and every backend with its availability and self-check.")
final class DoctorCommand implements Runnable {
    private static final List<Class<? extends Kernel>> KERNELS = List.of(GemmKernel.class, GramKernel.class,
            CholeskyKernel.class, EigenKernel.class, VectorKernel.class);

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        Backends b = Linalg.get().backends();
        out.printf("loes4j %s%n", LibraryInfo.version());
        out.printf("  JDK        %s at %s%n", LibraryInfo.jdk(), System.getProperty("java.home"));
        out.printf("  OS/arch    %s%n", LibraryInfo.os());
        out.printf("  cores      %d available, computing on %d thread(s)%n",
                Runtime.getRuntime().availableProcessors(), LinalgExecutor.threads());
        Backend vector = b.find("vector");
        Map<String, String> vd = vector == null ? Map.of() : vector.details();
        out.printf("  vectors    %s%n", vd.containsKey("vectorBits")
                ? vd.get("vectorBits") + "-bit (" + vd.get("doubleLanes") + " doubles, " + vd.get("floatLanes")
                        + " floats per vector)"
                : "Vector API not available");
        out.printf("  FMA        %s%n", vd.getOrDefault("fma", "unknown"));
        out.println("backends:");
        for (Backend be : b.all()) {
            var a = be.availability();
            out.printf("  %-8s %-13s %s%s%n", be.name(), a.available() ? "available" : "unavailable",
                    a.reason(), be == b.chosen() ? "   <- chosen" : "");
            if (!be.name().equals("vector") && !be.details().isEmpty()) {
                out.printf("  %-8s %-13s %s%n", "", "", be.details());
            }
            BackendSelfCheck check = b.selfCheck(be);
            out.printf("  %-8s %-13s self-check %s%s%n", "", "", check.summary(),
                    check.status() == BackendSelfCheck.Status.NOT_RUN ? "" : String.format(Locale.ROOT, " (%.1f ms)", check.millis()));
        }
        out.printf("chosen: %s (%s)%n", b.chosen().name(), b.why());
        out.println("kernels:");
        b.kernelOwners(KERNELS).forEach((k, v) -> out.printf("  %-15s %s%n", k, v));
        out.flush();
    }
}
