package org.loes4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.io.Json;

class ProvenanceTest {
    @Test
    void recordsTheBackendOfTheLinalgUsedAndIsImmutable() {
        Linalg la = Linalg.get();
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("k", 4);
        hyper.put("layers", new int[] {3, 1});
        List<String> mutable = new ArrayList<>(List.of("a"));
        Provenance p = Provenance.builder("loes", la).seed(42).hyperParameters(hyper)
                .inputs(Map.of("labels", "y.npy sha256:00")).timing("totalMs", 1.5).detail("names", mutable).build();
        hyper.put("k", 5);
        mutable.add("b");
        assertEquals(4, p.hyperParameters().get("k"), "copied at build time");
        assertEquals(List.of(3, 1), p.hyperParameters().get("layers"), "arrays become lists");
        assertEquals(List.of("a"), p.details().get("names"));
        assertThrows(UnsupportedOperationException.class, () -> p.hyperParameters().put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> p.toMap().put("x", 1));
        assertEquals(la.backends().chosen().name(), p.environment().backend());
        assertThrows(IllegalArgumentException.class, () -> Provenance.builder(" ", la).build());
    }

    @Test
    void jsonRoundTrip() {
        Provenance p = Provenance.builder("train", null).seed(7).hyperParameters(Map.of("epochs", 15))
                .inputs(Map.of("embeddings", "e.npy sha256:ab")).timing("fitMs", 12.25).detail("rows", 300).build();
        Map<String, Object> m = p.toMap();
        assertEquals("train", m.get("method"));
        assertTrue(m.containsKey("backend"));
        assertEquals(List.of("loes4jVersion", "jdk", "os", "backend"), new ArrayList<>(m.keySet()).subList(0, 4));
        Provenance back = Provenance.fromMap(Json.parseObject(Json.write(m)));
        assertEquals(p.method(), back.method());
        assertEquals(p.seed(), back.seed());
        assertEquals(p.environment(), back.environment());
        assertEquals(p.inputs(), back.inputs());
        assertEquals(p.timingsMs(), back.timingsMs());
        assertEquals(300, ((Number) back.details().get("rows")).intValue());
        assertEquals(15, ((Number) back.hyperParameters().get("epochs")).intValue());
    }
}
