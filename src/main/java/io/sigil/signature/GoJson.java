package io.sigil.signature;

/**
 * String escaping exactly as Go's {@code encoding/json} (1.22 and later) writes it, so that payloads we sign are
 * byte-identical to those containers/image would produce for the same values.
 */
final class GoJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJson() {
    }

    static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                // Go escapes these for safe embedding in HTML and JavaScript.
                case '<', '>', '&', '\u2028', '\u2029' -> appendUnicodeEscape(out, c);
                default -> appendPlain(out, value, i, c);
            }
        }
        out.append('"');
    }

    private static void appendPlain(StringBuilder out, String value, int index, char c) {
        if (c < 0x20) {
            appendUnicodeEscape(out, c);
        } else if (Character.isSurrogate(c) && !isPairedSurrogate(value, index)) {
            // Go writes invalid UTF-8 (here: a lone surrogate, which has no UTF-8 form) as the escape \ufffd.
            out.append("\\ufffd");
        } else {
            out.append(c);
        }
    }

    private static boolean isPairedSurrogate(String value, int index) {
        char c = value.charAt(index);
        if (Character.isHighSurrogate(c)) {
            return index + 1 < value.length() && Character.isLowSurrogate(value.charAt(index + 1));
        }
        return index > 0 && Character.isHighSurrogate(value.charAt(index - 1));
    }

    private static void appendUnicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }
}
