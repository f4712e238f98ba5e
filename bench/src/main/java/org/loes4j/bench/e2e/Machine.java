package org.loes4j.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.loes4j.linalg.LibraryInfo;

/** What a number was measured on: CPU, cores, memory, JDK, OS, and the load average when asked. */
final class Machine {
    private Machine() {
    }

    /** The CPU model as {@code lscpu} prints it ("Model name"), read from {@code /proc/cpuinfo}. */
    static String cpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                int colon = line.indexOf(':');
                return colon < 0 ? line.strip() : line.substring(colon + 1).strip();
            }
        }
        return "unknown";
    }

    /** Total memory from {@code /proc/meminfo}, e.g. {@code "23.4 GiB"}. */
    static String memory() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                String[] parts = line.split("\\s+");
                if (parts.length >= 2) {
                    return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(parts[1]) / 1024.0 / 1024.0);
                }
            }
        }
        return "unknown";
    }

    /** The 1, 5 and 15 minute load averages, e.g. {@code "0.52 0.61 0.70"}. */
    static String loadAverage() {
        List<String> l = lines(Path.of("/proc/loadavg"));
        if (l.isEmpty()) {
            return "unknown";
        }
        String[] parts = l.getFirst().split("\\s+");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : l.getFirst();
    }

    /** CPU, cores, memory, JDK (with the VM), OS and loes4j's environment (backend, vector width, threads). */
    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory", memory());
        m.put("jdk", LibraryInfo.jdk() + ", " + System.getProperty("java.vm.name"));
        m.put("os", LibraryInfo.os());
        m.put("loes4j", new LinkedHashMap<>(LibraryInfo.environment()));
        return m;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of();
        }
    }
}
