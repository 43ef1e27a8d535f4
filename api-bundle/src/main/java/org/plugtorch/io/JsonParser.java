package org.plugtorch.io;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser (RFC 8259) for safetensors headers, working on the header's bytes so that every error names
 * the byte it is at. Objects become {@link LinkedHashMap}s in file order (a key repeated is an error: the format
 * disallows it and parsers disagree on which copy wins), arrays {@link List}s, integers {@link Long} or
 * {@link BigInteger}, other numbers {@link Double}; {@code null} is {@link #NULL}. Nesting is limited, so a hostile
 * header cannot exhaust the stack.
 */
final class JsonParser {
    /** JSON's null, distinct from "absent". */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    static final int MAX_DEPTH = 64;
    /**
     * The most digits an integer may have. Parsing a long integer costs time quadratic in its digits (a megabyte of
     * them took 30 s); a header's numbers fit 64 bits (20 digits), and this is five times that.
     */
    static final int MAX_INTEGER_DIGITS = 100;

    /** A syntax error at a byte of the input. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        final int position;

        SyntaxException(String message, int position) {
            super(message);
            this.position = position;
        }
    }

    private final byte[] in;
    private int pos;

    private JsonParser(byte[] in) {
        this.in = in;
    }

    /** Parses one JSON value; whitespace may surround it, nothing else may follow. Input must be valid UTF-8. */
    static Object parse(byte[] utf8) throws SyntaxException {
        JsonParser p = new JsonParser(utf8);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != utf8.length) {
            throw new SyntaxException("unexpected '" + p.show(p.pos) + "' after the end of the JSON value", p.pos);
        }
        return value;
    }

    private Object value(int depth) throws SyntaxException {
        if (pos >= in.length) {
            throw new SyntaxException("unexpected end of the header", pos);
        }
        byte c = in[pos];
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw new SyntaxException("unexpected '" + show(pos) + "' where a value should start", pos);
        }
    }

    private void checkDepth(int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) {
            throw new SyntaxException("nesting deeper than " + MAX_DEPTH + " levels", pos);
        }
    }

    private Map<String, Object> object(int depth) throws SyntaxException {
        checkDepth(depth);
        pos++;
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return out;
        }
        while (true) {
            skipWhitespace();
            int keyAt = pos;
            if (peek() != '"') {
                throw new SyntaxException("expected a string key", pos);
            }
            String key = string();
            if (out.containsKey(key)) {
                throw new SyntaxException("duplicate key '" + key + "'", keyAt);
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            out.put(key, value(depth));
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == '}') {
                pos++;
                return out;
            } else {
                throw new SyntaxException("expected ',' or '}' in an object", pos);
            }
        }
    }

    private List<Object> array(int depth) throws SyntaxException {
        checkDepth(depth);
        pos++;
        List<Object> out = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            skipWhitespace();
            out.add(value(depth));
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == ']') {
                pos++;
                return out;
            } else {
                throw new SyntaxException("expected ',' or ']' in an array", pos);
            }
        }
    }

    private String string() throws SyntaxException {
        int start = pos;
        pos++;
        StringBuilder sb = null;
        int runStart = pos;
        while (true) {
            if (pos >= in.length) {
                throw new SyntaxException("unterminated string", start);
            }
            byte c = in[pos];
            if (c == '"') {
                String tail = new String(in, runStart, pos - runStart, StandardCharsets.UTF_8);
                pos++;
                return sb == null ? tail : sb.append(tail).toString();
            }
            if ((c & 0xff) < 0x20) {
                throw new SyntaxException("control character 0x" + Integer.toHexString(c) + " in a string", pos);
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(in, runStart, pos - runStart, StandardCharsets.UTF_8));
                escape(sb);
                runStart = pos;
            } else {
                pos++;
            }
        }
    }

    private void escape(StringBuilder sb) throws SyntaxException {
        int at = pos;
        pos++;
        if (pos >= in.length) {
            throw new SyntaxException("unterminated escape", at);
        }
        byte e = in[pos++];
        switch (e) {
            case '"':
                sb.append('"');
                break;
            case '\\':
                sb.append('\\');
                break;
            case '/':
                sb.append('/');
                break;
            case 'b':
                sb.append('\b');
                break;
            case 'f':
                sb.append('\f');
                break;
            case 'n':
                sb.append('\n');
                break;
            case 'r':
                sb.append('\r');
                break;
            case 't':
                sb.append('\t');
                break;
            case 'u':
                unicodeEscape(sb, at);
                break;
            default:
                throw new SyntaxException("invalid escape '\\" + show(pos - 1) + "'", at);
        }
    }

    /** A \\u escape; a surrogate must come in a pair, as UTF-8 cannot carry half of one. */
    private void unicodeEscape(StringBuilder sb, int at) throws SyntaxException {
        char c = (char) hex4(at);
        if (Character.isLowSurrogate(c)) {
            throw new SyntaxException("lone low surrogate in a \\u escape", at);
        }
        if (Character.isHighSurrogate(c)) {
            if (pos + 2 > in.length || in[pos] != '\\' || in[pos + 1] != 'u') {
                throw new SyntaxException("lone high surrogate in a \\u escape", at);
            }
            pos += 2;
            char low = (char) hex4(at);
            if (!Character.isLowSurrogate(low)) {
                throw new SyntaxException("lone high surrogate in a \\u escape", at);
            }
            sb.append(c).append(low);
            return;
        }
        sb.append(c);
    }

    private int hex4(int escapeAt) throws SyntaxException {
        if (pos + 4 > in.length) {
            throw new SyntaxException("truncated \\u escape", escapeAt);
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(in[pos++], 16);
            if (d < 0) {
                throw new SyntaxException("invalid \\u escape", escapeAt);
            }
            v = v * 16 + d;
        }
        return v;
    }

    private Object number() throws SyntaxException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw new SyntaxException("invalid number", start);
        }
        boolean integer = true;
        if (peek() == '.') {
            integer = false;
            pos++;
            digits(start);
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits(start);
        }
        if (integer && pos - start - (in[start] == '-' ? 1 : 0) > MAX_INTEGER_DIGITS) {
            throw new SyntaxException(
                    "an integer of " + (pos - start - (in[start] == '-' ? 1 : 0)) + " digits, more " + "than the "
                            + MAX_INTEGER_DIGITS + " a header may hold",
                    start);
        }
        String text = new String(in, start, pos - start, StandardCharsets.US_ASCII);
        if (!integer) {
            // linear in the digits: Java reads at most a fixed number of significant digits and the exponent's value
            return Double.valueOf(text);
        }
        if (text.length() <= 18) {
            return Long.valueOf(text);
        }
        BigInteger big = new BigInteger(text);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private void digits(int numberStart) throws SyntaxException {
        if (!isDigit(peek())) {
            throw new SyntaxException("invalid number", numberStart);
        }
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) throws SyntaxException {
        byte[] w = word.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < w.length; i++) {
            if (pos + i >= in.length || in[pos + i] != w[i]) {
                throw new SyntaxException("invalid literal (expected " + word + ")", pos);
            }
        }
        pos += w.length;
        return value;
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) {
            throw new SyntaxException("expected '" + c + "'", pos);
        }
        pos++;
    }

    /** The byte at the cursor, or -1 at the end. */
    private int peek() {
        return pos < in.length ? in[pos] : -1;
    }

    private void skipWhitespace() {
        while (pos < in.length && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
            pos++;
        }
    }

    private String show(int at) {
        if (at >= in.length) {
            return "end of header";
        }
        int b = in[at] & 0xff;
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b);
    }
}
