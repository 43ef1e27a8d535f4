package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The header parser: strict RFC 8259, values as safetensors headers need them, errors at a byte. */
class JsonParserTest {
    private static Object parse(String json) throws JsonParser.SyntaxException {
        return JsonParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(String json) {
        JsonParser.SyntaxException e = assertThrows(JsonParser.SyntaxException.class, () -> parse(json));
        return e.getMessage() + " @" + e.position;
    }

    @Test
    void valuesAndEscapes() throws JsonParser.SyntaxException {
        assertEquals(
                Map.of("a", List.of(1L, -2L, 2.5, true, false, JsonParser.NULL)),
                parse(" {\"a\" : [1, -2, 2.5e0, true, false, null]} "));
        assertEquals("\"\\/\b\f\n\r\té😀", parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""));
        assertEquals(new BigInteger("18446744073709551616"), parse("18446744073709551616"));
        assertEquals(Long.MAX_VALUE, parse("9223372036854775807"));
    }

    @Test
    void whatRfc8259RefusesIsRefused() {
        assertEquals("invalid number @0", error("-"));
        assertEquals("unexpected '1' after the end of the JSON value @1", error("01"));
        assertEquals("control character 0xa in a string @1", error("\"\n\""));
        assertEquals("invalid escape '\\x' @1", error("\"\\x\""));
        assertEquals("lone high surrogate in a \\u escape @1", error("\"\\ud83d\""));
        assertEquals("lone low surrogate in a \\u escape @1", error("\"\\ude00\""));
        assertEquals("expected ',' or ']' in an array @3", error("[1 2]"));
        assertEquals("unterminated string @0", error("\"abc"));
        assertEquals("invalid literal (expected true) @0", error("tru"));
        assertEquals("unexpected end of the header @0", error(""));
    }
}
