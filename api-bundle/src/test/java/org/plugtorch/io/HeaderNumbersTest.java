package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers in a safetensors header cost time linear in their digits: an integer has at most
 * {@link JsonParser#MAX_INTEGER_DIGITS} digits (a megabyte of them took 30 s to parse as a BigInteger), and other
 * numbers are read by Java's linear parser.
 */
class HeaderNumbersTest {
    @TempDir
    Path dir;

    private static Object parse(String json) throws JsonParser.SyntaxException {
        return JsonParser.parse(json.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anIntegerOfTooManyDigitsIsRefusedBeforeItIsParsed() throws Exception {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[" + "9".repeat(1_000_000) + "],\"data_offsets\":[0,0]}}";
        Path file = SafetensorsBytes.write(dir.resolve("big.safetensors"), header, new byte[0]);
        int at = header.indexOf('9');
        assertEquals(
                "big.safetensors: header is not valid JSON: an integer of 1000000 digits, more than the 100 a "
                        + "header may hold at header byte " + at + " (file byte " + (8 + at) + ")",
                assertThrows(CheckpointFormatException.class, () -> Checkpoints.open(file))
                        .getMessage());
        JsonParser.SyntaxException e =
                assertThrows(JsonParser.SyntaxException.class, () -> parse("[-" + "1".repeat(101) + "]"));
        assertEquals(
                "an integer of 101 digits, more than the 100 a header may hold @1", e.getMessage() + " @" + e.position);
    }

    @Test
    void integersUpToTheLimitStillParse() throws Exception {
        assertEquals(new BigInteger("9".repeat(100)), parse("9".repeat(100)));
        assertEquals(new BigInteger("-" + "9".repeat(100)), parse("-" + "9".repeat(100)));
        assertEquals(Long.MIN_VALUE, parse("-9223372036854775808"));
    }

    @Test
    void longFractionsAndExponentsStillParse() throws Exception {
        // Java keeps a bounded number of significant digits: these take milliseconds, not the quadratic time of
        // a BigInteger of as many digits
        assertEquals(200000.0, parse("1." + "9".repeat(1_000_000) + "e5"));
        assertEquals(Double.POSITIVE_INFINITY, parse("1e" + "9".repeat(1_000_000)));
        assertEquals(0.0, parse("0." + "0".repeat(1_000_000) + "1"));
    }
}
