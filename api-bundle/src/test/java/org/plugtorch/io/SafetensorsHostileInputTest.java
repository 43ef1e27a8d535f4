package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Malformed and hostile safetensors files: each refused when opened, with the problem and its place named. */
class SafetensorsHostileInputTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private String refused(byte[] file) throws IOException {
        Path p = Files.write(dir.resolve("bad.safetensors"), file);
        return assertThrows(
                        CheckpointFormatException.class,
                        () -> Checkpoints.open(p).close())
                .getMessage();
    }

    private String refused(String header, int dataBytes) throws IOException {
        return refused(SafetensorsBytes.of(header, new byte[dataBytes]));
    }

    private static String f32(String name, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end
                + "]}";
    }

    @Test
    void truncatedFiles() throws IOException {
        assertEquals(
                "bad.safetensors: 5 bytes is too short for a safetensors file (its header length alone takes 8)",
                refused(new byte[5]));
        byte[] whole = SafetensorsBytes.of("{" + f32("w", "[2]", 0, 8) + "}", new byte[8]);
        assertEquals(
                "bad.safetensors: header length 54 (bytes 0-7) runs past the end of the file (40 bytes): the file "
                        + "is truncated or not safetensors",
                refused(java.util.Arrays.copyOf(whole, 40)));
        assertEquals(
                "bad.safetensors: tensor 'w' has data_offsets [0, 8] but the data holds 5 bytes: the file is "
                        + "truncated",
                refused(java.util.Arrays.copyOf(whole, whole.length - 3)));
    }

    @Test
    void headerLengthsBeyondTheLimit() throws IOException {
        assertEquals(
                "bad.safetensors: header length 9223372036854775808 (bytes 0-7) exceeds the 100000000-byte limit",
                refused(SafetensorsBytes.of(Long.MIN_VALUE, new byte[0], new byte[0])));
        assertEquals(
                "bad.safetensors: header length 18446744073709551615 (bytes 0-7) exceeds the 100000000-byte limit",
                refused(SafetensorsBytes.of(-1L, new byte[0], new byte[0])));
        assertEquals(
                "bad.safetensors: header length 100000001 (bytes 0-7) exceeds the 100000000-byte limit",
                refused(SafetensorsBytes.of(100_000_001L, new byte[0], new byte[0])));
    }

    @Test
    void headersThatAreNotUtf8OrNotJson() throws IOException {
        byte[] header = "{\"a?\":1}".getBytes(StandardCharsets.ISO_8859_1);
        header[3] = (byte) 0xff;
        assertEquals(
                "bad.safetensors: header is not valid UTF-8 at header byte 3 (file byte 11)",
                refused(SafetensorsBytes.of(header.length, header, new byte[0])));
        assertEquals(
                "bad.safetensors: header is not valid JSON: expected ',' or '}' in an object at header byte 8 "
                        + "(file byte 16)",
                refused("{\"a\":{} \"b\":{}}", 0));
        assertEquals(
                "bad.safetensors: header is not valid JSON: unexpected 'x' after the end of the JSON value at "
                        + "header byte 2 (file byte 10)",
                refused("{}x", 0));
        assertEquals(
                "bad.safetensors: header is not valid JSON: nesting deeper than 64 levels at header byte 68 "
                        + "(file byte 76)",
                refused("{\"a\":" + "[".repeat(100_000), 0));
        assertEquals("bad.safetensors: header must be a JSON object, found a list", refused("[]", 0));
    }

    @Test
    void duplicateKeysAreRefused() throws IOException {
        assertEquals(
                "bad.safetensors: header is not valid JSON: duplicate key 'w' at header byte 54 (file byte 62)",
                refused("{" + f32("w", "[1]", 0, 4) + "," + f32("w", "[1]", 4, 8) + "}", 8));
    }

    @Test
    void malformedEntries() throws IOException {
        assertEquals(
                "bad.safetensors: __metadata__ value of 'epoch' must be a string, found a number",
                refused("{\"__metadata__\":{\"epoch\":3}}", 0));
        assertEquals(
                "bad.safetensors: tensor 'w' has an unknown field 'strides' (allowed: dtype, shape, data_offsets)",
                refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"strides\":[]}}", 4));
        assertEquals(
                "bad.safetensors: tensor 'w' has no 'shape'",
                refused("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4));
        assertEquals(
                "bad.safetensors: tensor 'w' has unknown dtype 'F128'",
                refused("{\"w\":{\"dtype\":\"F128\",\"shape\":[],\"data_offsets\":[0,16]}}", 16));
        assertEquals(
                "bad.safetensors: tensor 'w': shape must be a list of non-negative integers, found [2, -1]",
                refused("{" + f32("w", "[2,-1]", 0, 4) + "}", 4));
        assertEquals(
                "bad.safetensors: tensor 'w': shape must be a list of non-negative integers, found [2.5]",
                refused("{" + f32("w", "[2.5]", 0, 4) + "}", 4));
        assertEquals(
                "bad.safetensors: tensor 'w': data_offsets must be two non-negative integers, found [0, 4, 8]",
                refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8));
        assertEquals(
                "bad.safetensors: tensor 'w' has data_offsets [8, 4]: the end comes before the begin",
                refused("{" + f32("w", "[1]", 8, 4) + "}", 8));
    }

    @Test
    void sizesThatDisagreeWithShapes() throws IOException {
        assertEquals(
                "bad.safetensors: tensor 'w' has data_offsets [0, 20] holding 20 bytes, but dtype F32 and shape "
                        + "[2, 3] need 24",
                refused("{" + f32("w", "[2,3]", 0, 20) + "}", 20));
        assertEquals(
                "bad.safetensors: tensor 'w' has shape [1099511627776, 1099511627776] whose size in bytes "
                        + "overflows",
                refused("{" + f32("w", "[1099511627776,1099511627776]", 0, 4) + "}", 4));
        assertEquals(
                "bad.safetensors: tensor 'w': 3 elements of F4 (4 bits each) do not fill whole bytes",
                refused("{\"w\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", 2));
    }

    @Test
    void hugeDeclaredSizesAreCheckedAgainstTheFileBeforeAnythingIsAllocated() throws IOException {
        assertEquals(
                "bad.safetensors: tensor 'w' has data_offsets [0, 8589934592] but the data holds 8 bytes: the "
                        + "file is truncated",
                refused("{" + f32("w", "[2147483648]", 0, 8589934592L) + "}", 8));
    }

    @Test
    void offsetsMustTileTheDataExactly() throws IOException {
        assertEquals(
                "bad.safetensors: tensor 'b' has data_offsets [4, 8]: it overlaps tensor 'a' (data_offsets "
                        + "[0, 8])",
                refused("{" + f32("a", "[2]", 0, 8) + "," + f32("b", "[1]", 4, 8) + "}", 8));
        assertEquals(
                "bad.safetensors: tensor 'b' has data_offsets [8, 12]: it leaves a gap after tensor 'a' "
                        + "(data_offsets [0, 4])",
                refused("{" + f32("a", "[1]", 0, 4) + "," + f32("b", "[1]", 8, 12) + "}", 12));
        assertEquals(
                "bad.safetensors: tensor 'a' has data_offsets [4, 8]: the first tensor must start at 0",
                refused("{" + f32("a", "[1]", 4, 8) + "}", 8));
        assertEquals(
                "bad.safetensors: the tensors end at data byte 4 but the data holds 7 bytes: 3 trailing bytes",
                refused("{" + f32("a", "[1]", 0, 4) + "}", 7));
    }

    @Test
    void whatTheReferenceReaderAcceptsIsAccepted() throws IOException {
        Path p = dir.resolve("ok.safetensors");
        Files.write(
                p, SafetensorsBytes.of(" \n{" + f32("a", "[1]", 0, 4) + "}  ", new byte[] {0, 0, (byte) 0x80, 0x3f}));
        try (Checkpoint c = Checkpoints.open(p)) {
            assertEquals(
                    1.0, c.read("a", LoadOptions.defaults()).item(), "leading whitespace, as the Rust reader allows");
        }
        String padded = "{" + f32("a", "[1]", 0, 4) + "}";
        padded += " ".repeat(0x280 - padded.length());
        Files.write(p, SafetensorsBytes.of(padded, new byte[4]));
        assertEquals(
                1,
                Checkpoints.load(p, LoadOptions.defaults()).size(),
                "a header of 0x280 bytes (its length starts 80 02, like a pickle) is still safetensors");
        Files.write(p, SafetensorsBytes.of("{}", new byte[0]));
        assertEquals(Map.of(), Checkpoints.load(p, LoadOptions.defaults()));
        Files.write(p, SafetensorsBytes.of("{" + f32("e", "[0,3]", 0, 0) + "}", new byte[0]));
        assertEquals(0, Checkpoints.load(p, LoadOptions.defaults()).get("e").numel());
    }

    @Test
    void namesWithControlCharactersNeverReachATerminalRaw() throws IOException {
        Path p = dir.resolve("names.safetensors");
        Checkpoints.saveSafetensors(Map.of("\u001b[31mred", Tensor.of(1f)), null, p);
        String text = Checkpoints.describe(p);
        assertTrue(text.contains("\\u001b[31mred"), text);
        assertTrue(text.chars().noneMatch(c -> c == 0x1b), text);
    }
}
