package org.loes4j.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * JMH's annotation processor must have run (JDK 23+ runs none unless asked: {@code -proc:full}), or the
 * benchmark jar starts and finds nothing to run.
 */
class BenchmarkListTest {

    @Test
    void annotationProcessingListedEveryBenchmark() throws IOException {
        String list;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList was not generated");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String method : List.of("GemmBench.dgemm", "GemmBench.sgemm", "GemmReferenceBench.dgemm",
                "GramBench.gram", "SmallProductBench.dgemm", "SmallProductBench.gram", "CholeskyBench.cholesky",
                "EigenBench.eigenvalues", "RidgeBench.ridge")) {
            String cls = method.substring(0, method.indexOf('.'));
            String name = method.substring(method.indexOf('.') + 1);
            assertTrue(list.contains("org.loes4j.bench." + cls + " ") && list.contains(cls + "_" + name + "_jmhTest"),
                    method + " missing from META-INF/BenchmarkList");
        }
    }
}
