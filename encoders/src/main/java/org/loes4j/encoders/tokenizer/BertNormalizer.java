package org.loes4j.encoders.tokenizer;

import java.text.Normalizer;

/**
 * BERT's text normaliser, step by step as Hugging Face's {@code BertNormalizer} applies it:
 * <ol>
 *   <li>clean-up: drop NUL, U+FFFD and "other" characters (Unicode Cc, Cf, Cs, Co, Cn, except tab,
 *       newline and carriage return); map every white-space character to a space;</li>
 *   <li>surround each CJK ideograph with spaces (so each becomes its own word);</li>
 *   <li>strip accents: canonical decomposition (NFD), then drop non-spacing marks (Mn);</li>
 *   <li>lower-case, character by character.</li>
 * </ol>
 * "White space" is Unicode's White_Space property (tab, newline, carriage return included); it is not
 * {@link Character#isWhitespace}, which excludes the no-break spaces.
 *
 * @param cleanText          step 1
 * @param handleChineseChars step 2
 * @param stripAccents       step 3
 * @param lowercase          step 4
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {

    /** The uncased-BERT settings: every step on. */
    public static BertNormalizer uncased() {
        return new BertNormalizer(true, true, true, true);
    }

    /** The normalised form of {@code text}. */
    public String normalize(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text: null");
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cleanText) {
                if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                    continue;
                }
                if (isWhitespace(cp)) {
                    cp = ' ';
                }
            }
            if (handleChineseChars && isChineseChar(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        }
        String s = sb.toString();
        if (stripAccents) {
            s = stripAccents(s);
        }
        if (lowercase) {
            s = lowercase(s);
        }
        return s;
    }

    private static String stripAccents(String s) {
        String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(nfd.length());
        for (int i = 0; i < nfd.length(); ) {
            int cp = nfd.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    private static String lowercase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0x130) {
                // The one code point whose full lower-case mapping is two characters: i + combining dot.
                sb.append('i').append('\u0307');
            } else {
                sb.appendCodePoint(Character.toLowerCase(cp));
            }
        }
        return sb.toString();
    }

    /** Unicode White_Space (what Rust's {@code char::is_whitespace} tests). */
    static boolean isWhitespace(int cp) {
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /** Unicode general category C* ("other"), except tab, newline and carriage return. */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
    }

    /** The CJK Unified Ideographs blocks (and compatibility ideographs) BERT treats as single words. */
    static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
