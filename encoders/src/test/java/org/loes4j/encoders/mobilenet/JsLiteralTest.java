package org.loes4j.encoders.mobilenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsLiteralTest {
    @Test
    void readsTheMinifiedSubset() {
        Object v = JsLiteral.parse("{a:1,\"b c\":'x\\'y',n:-.0326,e:4e-7,t:!0,f:!1,z:null,l:[1,[2,3],{}],"
                + "m:-0,p:.5,big:12345678901234567890,s:\"\\u00e9\\x41\\n\",T:true,F:false,}", "t");
        Map<String, Object> want = new LinkedHashMap<>();
        want.put("a", 1L);
        want.put("b c", "x'y");
        want.put("n", -0.0326);
        want.put("e", 4e-7);
        want.put("t", true);
        want.put("f", false);
        want.put("z", null);
        want.put("l", List.of(1L, List.of(2L, 3L), Map.of()));
        want.put("m", -0.0);
        want.put("p", 0.5);
        want.put("big", 12345678901234567890.0);
        want.put("s", "\u00e9A\n");
        want.put("T", true);
        want.put("F", false);
        assertEquals(want, v);
        assertEquals(List.copyOf(want.keySet()), List.copyOf(((Map<?, ?>) v).keySet()), "key order kept");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) ((Map<?, ?>) v).get("m")));
    }

    @Test
    void numbersAreTheNearestDoubleAsInJavaScript() {
        for (String s : new String[] {".0326", "-.87334511607301", "0.0012671144569621367", "7e-50", "1e308", "-6.189409682329964"}) {
            assertEquals(Double.parseDouble(s), JsLiteral.parse(s, "t"), s);
        }
    }

    @Test
    void findsTheOneExportedLiteralInAUmdWrapper() {
        String umd = "!function(e){if(\"object\"==typeof exports)module.exports=e();else{this.model=e()}}(function(){"
                + "return function e(a,n,i){return n}({1:[function(e,a,n){a.exports={x:[1,2],y:\"=\"}},{}]},{},[1])(1)});";
        assertEquals(Map.of("x", List.of(1L, 2L), "y", "="), JsLiteral.moduleExports(umd, "t"));
        assertEquals("QUJD", JsLiteral.moduleExports("h.exports=\"QUJD\"}", "t"));
    }

    @Test
    void errorsSayWhereAndWhat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsLiteral.parse("{a:1,\n b 2}", "m.js"));
        assertEquals("m.js: line 2, column 4: expected ':'", e.getMessage());
        for (String bad : new String[] {"{a:f()}", "[1,,2]", "'abc", "{a:1,a:2}", "!2", "1.2.3", "[1] x", "{a:.}", "-"}) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> JsLiteral.parse(bad, "t"), bad);
            assertTrue(ex.getMessage().startsWith("t: line 1, column "), ex.getMessage());
        }
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> JsLiteral.moduleExports("module.exports=e()", "m.js"));
        assertTrue(none.getMessage().contains("no 'exports=' assignment"), none.getMessage());
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> JsLiteral.moduleExports("a.exports={};b.exports=[1]", "m.js"));
        assertTrue(two.getMessage().contains("second"), two.getMessage());
        char[] deep = new char[600];
        Arrays.fill(deep, '[');
        assertThrows(IllegalArgumentException.class, () -> JsLiteral.parse(new String(deep), "t"));
    }
}
