package org.loes4j.linalg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Map<String, Object> m = Json.parseObject(
                "{\"a\": 1, \"b\": -2.5e2, \"c\": [true, false, null], \"d\": {\"e\": \"x\\\"y\\u00e9\\n\"},"
                        + " \"big\": 12345678901234567890, \"z\": 0}");
        assertEquals(1L, m.get("a"));
        assertEquals(-250.0, m.get("b"));
        assertEquals(java.util.Arrays.asList(true, false, null), m.get("c"));
        assertEquals("x\"y\u00e9\n", ((Map<?, ?>) m.get("d")).get("e"));
        assertEquals(1.2345678901234567e19, (Double) m.get("big"), 1e4);
        assertEquals(0L, m.get("z"));
        assertEquals(List.of("a", "b", "c", "d", "big", "z"), List.copyOf(m.keySet()));
    }

    @Test
    void vocabularyKeysThatLookLikeSyntaxSurvive() {
        // The pitfall DATA.md warns about: tokenizer vocabularies have keys such as "{", "}" and "\"".
        Map<String, Object> m = Json.parseObject("{\"{\": 1, \"}\": 2, \"\\\"\": 3, \"##,\": 4, \"\\\\\": 5}");
        assertEquals(5, m.size());
        assertEquals(1L, m.get("{"));
        assertEquals(2L, m.get("}"));
        assertEquals(3L, m.get("\""));
        assertEquals(4L, m.get("##,"));
        assertEquals(5L, m.get("\\"));
    }

    @Test
    void surrogatePairsDecode() {
        assertEquals("\uD83D\uDE00", Json.parse("\"\\ud83d\\ude00\""));
    }

    @Test
    void errorsSayWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\n  \"a\" 1}"));
        assertTrue(e.getMessage().contains("line 2, column 7"), e.getMessage());
        assertTrue(e.getMessage().contains("expected ':'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("01"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"tab\there\""));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("tru"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("1 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
    }

    @Test
    void writeThenParseRoundTrips() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "tab\tquote\"back\\slash\u0001");
        m.put("ints", new int[] {1, -2, 3});
        m.put("doubles", new double[] {0.1, -0.0, 1e-300, 3.0});
        m.put("nested", List.of(Map.of("k", 1L), Map.of("k", 2L)));
        m.put("nothing", null);
        for (String text : new String[] {Json.write(m), Json.writePretty(m)}) {
            Map<String, Object> back = Json.parseObject(text);
            assertEquals(m.get("name"), back.get("name"));
            assertEquals(List.of(1L, -2L, 3L), back.get("ints"));
            List<?> d = (List<?>) back.get("doubles");
            assertEquals(0.1, d.get(0));
            assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits((Double) d.get(1)));
            assertEquals(1e-300, d.get(2));
            assertEquals(3.0, d.get(3));
            assertEquals(2L, ((Map<?, ?>) ((List<?>) back.get("nested")).get(1)).get("k"));
            assertTrue(back.containsKey("nothing"));
            assertNull(back.get("nothing"));
        }
    }

    @Test
    void nonFiniteNumbersAreRejectedWithTheirPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.write(Map.of("scores", new double[] {1.0, Double.NaN})));
        assertTrue(e.getMessage().contains("$.scores[1]"), e.getMessage());
    }
}
