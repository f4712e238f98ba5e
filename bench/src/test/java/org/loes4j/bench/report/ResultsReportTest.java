package org.loes4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JMH JSON -> markdown step, on a hand-written result file in JMH 1.37's format. */
class ResultsReportTest {
    private static final double EXACT = 1e-12;

    private static String result(String benchmark, String impl, String n, double score, String error, String unit) {
        return """
                {
                    "jmhVersion" : "1.37",
                    "benchmark" : "org.loes4j.bench.%s",
                    "mode" : "thrpt", "threads" : 1, "forks" : 1,
                    "jvm" : "/usr/lib/jvm/x/bin/java",
                    "jvmArgs" : [ "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED" ],
                    "jdkVersion" : "25.0.3", "vmName" : "OpenJDK 64-Bit Server VM", "vmVersion" : "25.0.3+9-LTS",
                    "warmupIterations" : 3, "warmupTime" : "1 s", "warmupBatchSize" : 1,
                    "measurementIterations" : 5, "measurementTime" : "1 s", "measurementBatchSize" : 1,
                    "params" : { "impl" : "%s", "n" : "%s" },
                    "primaryMetric" : {
                        "score" : %s, "scoreError" : %s, "scoreConfidence" : [ "NaN", "NaN" ],
                        "scoreUnit" : "%s", "rawData" : [ [ 1.0e0, 2 ] ]
                    },
                    "secondaryMetrics" : { }
                }""".formatted(benchmark, impl, n, score, error, unit);
    }

    @Test
    void tableHasGflopsAndRatioToOpenBlasAtTheSameThreads(@TempDir Path dir) throws IOException {
        // n = 1000: 2e9 flops per call. openblas@2: 50 calls/s = 100 GFLOP/s; loes4j-vector@2: 20 ms/call.
        String json = "[" + String.join(",",
                result("GemmBench.dgemm", "openblas@2", "1000", 50.0, "2.5", "ops/s"),
                result("GemmBench.dgemm", "loes4j-vector@2", "1000", 20.0, "\"NaN\"", "ms/op"),
                result("GemmBench.dgemm", "openblas", "1000", 25.0, "1.0", "ops/s")) + "]";
        Path file = dir.resolve("r.json");
        Files.writeString(file, json);
        List<ResultsReport.Row> rows = ResultsReport.read(List.of(file));
        assertEquals(3, rows.size());
        assertEquals(0.02, rows.get(0).secondsPerOp(), EXACT);
        assertEquals(0.05, rows.get(0).relativeError(), EXACT);
        assertEquals(2, rows.get(1).threads());
        assertEquals("loes4j-vector", rows.get(1).name());

        String md = ResultsReport.render(rows, "bench/run-jmh.sh GemmBench", "STATUS LINE", Map.of("git commit", "abc"),
                List.of("openblas@2: OpenBLAS 0.3.31"));
        assertTrue(md.contains("**STATUS LINE**"), md);
        assertTrue(md.contains("| Command | `bench/run-jmh.sh GemmBench` |"), md);
        assertTrue(md.contains("| git commit | abc |"), md);
        assertTrue(md.contains("- openblas@2: OpenBLAS 0.3.31"), md);
        // loes4j-vector@2: 20 ms, 100 GFLOP/s, same speed as openblas@2 (not openblas on 1 thread).
        assertTrue(md.contains("| n=1000 | loes4j-vector | 2 | 20.0 | n/a | 100 | 1.00 |"), md);
        assertTrue(md.contains("| n=1000 | openblas | 1 | 40.0 | 4.0% | 50.0 | 1.00 |"), md);
        assertTrue(md.contains("| n=1000 | openblas | 2 | 20.0 | 5.0% | 100 | 1.00 |"), md);
        assertTrue(md.indexOf("loes4j-vector | 2") < md.indexOf("openblas | 1"), "loes4j rows first");
        assertTrue(md.contains("## Cholesky float64\n\nA = L LT, A n x n SPD; GFLOP/s = n^3 / 3 / time.\n\n_No results"), md);
    }

    @Test
    void unitsConvertToSecondsPerCall() {
        assertEquals(0.5, ResultsReport.secondsPerOp(2.0, "ops/s"), EXACT);
        assertEquals(0.5e-3, ResultsReport.secondsPerOp(2.0, "ops/ms"), EXACT);
        assertEquals(2e-3, ResultsReport.secondsPerOp(2.0, "ms/op"), EXACT);
        assertEquals(2e-6, ResultsReport.secondsPerOp(2.0, "us/op"), EXACT);
        assertThrows(IllegalArgumentException.class, () -> ResultsReport.secondsPerOp(1.0, "flops"));
    }

    @Test
    void jmhNumbersMayBeNumbersOrStrings() {
        assertEquals(3.0, ResultsReport.number(3L), EXACT);
        assertEquals(-2.5e3, ResultsReport.number(-2.5e3), EXACT);
        assertTrue(Double.isNaN(ResultsReport.number("NaN")));
        assertThrows(IllegalArgumentException.class, () -> ResultsReport.number(true));
    }
}
