package org.loes4j.encoders.mobilenet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reader for the JavaScript value literals a minifier writes into a TensorFlow.js model bundle: no JS
 * engine, only the literal subset that occurs there.
 *
 * <p>Accepted: objects with unquoted identifier keys or quoted keys ({@code {min:-.87,"a":1}}), arrays,
 * strings in single or double quotes (escapes {@code \n \t \r \b \f \v \0 \\ \' \" \xHH}, and a backslash-u
 * with four hex digits), numbers
 * with optional sign, leading or trailing dot and exponent ({@code .0326}, {@code -0}, {@code 4e-7}),
 * {@code true}, {@code false}, the minified booleans {@code !0} and {@code !1}, and {@code null}; trailing
 * commas are allowed. JSON is a subset, so {@code model.json} files read too. Objects become
 * {@link LinkedHashMap} (key order kept), arrays {@link ArrayList}, numbers {@link Long} when written as an
 * integer in range, else {@link Double} (the nearest double, as JavaScript reads it).
 *
 * <p>Errors name the source and the line and column: {@code "model.min.js: line 1, column 5021: expected ':'"}.
 */
final class JsLiteral {
    /** {@code NAME.exports=} followed by the first character of a literal. */
    private static final Pattern EXPORTS = Pattern.compile("[A-Za-z_$][\\w$]*\\.exports\\s*=\\s*(?=[\\[{\"'])");
    /** Nesting deeper than this is not a model file (and would overflow the stack). */
    private static final int MAX_DEPTH = 256;

    private final CharSequence text;
    private final String source;
    private int pos;

    private JsLiteral(CharSequence text, String source, int pos) {
        this.text = text;
        this.source = source;
        this.pos = pos;
    }

    /** Parses one literal that is the whole text (surrounding whitespace allowed). */
    static Object parse(CharSequence text, String source) {
        JsLiteral p = new JsLiteral(text, source, 0);
        p.skipWs();
        Object v = p.value(0);
        p.skipWs();
        if (p.pos < text.length()) {
            throw p.error("unexpected content after the value");
        }
        return v;
    }

    /**
     * The value a CommonJS/UMD bundle assigns to its module's exports: the literal after the one
     * {@code x.exports=} whose right-hand side is a literal (the wrapper's own {@code module.exports=e()}
     * is a call and is skipped).
     *
     * @throws IllegalArgumentException when there is no such assignment, more than one, or the literal is malformed
     */
    static Object moduleExports(CharSequence text, String source) {
        Matcher m = EXPORTS.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException(source + ": no 'exports=' assignment of a literal value found; "
                    + "expected a TensorFlow.js model bundle (a UMD module exporting an object or a string)");
        }
        int start = m.end();
        JsLiteral p = new JsLiteral(text, source, start);
        Object v = p.value(0);
        if (m.find(p.pos)) {
            throw new IllegalArgumentException(source + ": a second 'exports=' assignment of a literal at "
                    + p.where(m.start()) + "; expected exactly one");
        }
        return v;
    }

    /** "an object", "an array", "a string", "a number", "a boolean" or "null", for messages. */
    static String kind(Object v) {
        return switch (v) {
            case null -> "null";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            case String s -> "a string";
            case Number n -> "a number";
            case Boolean b -> "a boolean";
            default -> v.getClass().getSimpleName();
        };
    }

    // ---------------------------------------------------------------- grammar

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        skipWs();
        if (pos >= text.length()) {
            throw error("expected a value, found the end of the text");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"', '\'' -> string();
            case '!' -> minifiedBoolean();
            default -> {
                if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                String word = identifier();
                yield switch (word) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    case "null" -> null;
                    case "" -> throw error("unexpected character '" + c + "'");
                    default -> throw error("'" + word + "' is not a literal value (only true, false, null, !0, !1)");
                };
            }
        };
    }

    private Map<String, Object> object(int depth) {
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            skipWs();
            if (peek() == '}') {
                pos++;
                return map;
            }
            int keyAt = pos;
            String key = key();
            skipWs();
            expect(':');
            Object v = value(depth + 1);
            if (map.containsKey(key)) {
                throw error("duplicate key '" + key + "' (at " + where(keyAt) + ")");
            }
            map.put(key, v);
            skipWs();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c != '}') {
                throw error("expected ',' or '}' in an object");
            }
        }
    }

    private String key() {
        char c = peek();
        if (c == '"' || c == '\'') {
            return string();
        }
        if (c >= '0' && c <= '9') {
            return number().toString();
        }
        String id = identifier();
        if (id.isEmpty()) {
            throw error("expected a key");
        }
        return id;
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> list = new ArrayList<>();
        while (true) {
            skipWs();
            if (peek() == ']') {
                pos++;
                return list;
            }
            if (peek() == ',') {
                throw error("array holes are not supported");
            }
            list.add(value(depth + 1));
            skipWs();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c != ']') {
                throw error("expected ',' or ']' in an array");
            }
        }
    }

    private String string() {
        char quote = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\n' || c == '\r') {
                throw error("line break inside a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000B');
                case '0' -> sb.append('\0');
                case 'x' -> sb.append((char) hex(2));
                case 'u' -> sb.append((char) hex(4));
                default -> sb.append(e);
            }
        }
    }

    private int hex(int digits) {
        if (pos + digits > text.length()) {
            throw error("truncated escape");
        }
        int v = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(text.charAt(pos++), 16);
            if (d < 0) {
                throw error("bad hex digit in an escape");
            }
            v = v * 16 + d;
        }
        return v;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-' || peek() == '+') {
            pos++;
        }
        int intDigits = digits();
        boolean integral = true;
        int fracDigits = 0;
        if (peek() == '.') {
            integral = false;
            pos++;
            fracDigits = digits();
        }
        if (intDigits + fracDigits == 0) {
            throw error("malformed number");
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '-' || peek() == '+') {
                pos++;
            }
            if (digits() == 0) {
                throw error("malformed exponent");
            }
        }
        if (identifierPart(peek())) {
            throw error("malformed number");
        }
        String s = text.subSequence(start, pos).toString();
        if (integral && !s.equals("-0")) {
            try {
                return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
            } catch (NumberFormatException tooLong) {
                // falls through to a double, as JavaScript reads it
            }
        }
        return Double.parseDouble(s);
    }

    private int digits() {
        int n = 0;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
            n++;
        }
        return n;
    }

    private Boolean minifiedBoolean() {
        pos++;
        char c = peek();
        if ((c == '0' || c == '1') && !identifierPart(peekAt(pos + 1))) {
            pos++;
            return c == '0';
        }
        throw error("only !0 and !1 are supported after '!'");
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && identifierPart(text.charAt(pos))) {
            pos++;
        }
        return text.subSequence(start, pos).toString();
    }

    // ---------------------------------------------------------------- helpers

    /** A character of a JavaScript identifier (the end-of-text marker '\0' is not). */
    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private char peek() {
        return peekAt(pos);
    }

    private char peekAt(int i) {
        return i < text.length() ? text.charAt(i) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipWs() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private String where(int at) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < at && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return "line " + line + ", column " + col;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(source + ": " + where(pos) + ": " + what);
    }
}
