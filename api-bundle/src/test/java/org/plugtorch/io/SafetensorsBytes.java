package org.plugtorch.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-made safetensors files, byte for byte, for tests of what the reader accepts and refuses. */
final class SafetensorsBytes {
    private SafetensorsBytes() {}

    /** The file: the header's length as declared, the header, then the data. */
    static byte[] of(long declaredLength, byte[] header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(declaredLength)
                .array());
        out.writeBytes(header);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] of(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return of(h.length, h, data);
    }

    static Path write(Path file, String header, byte[] data) throws IOException {
        return Files.write(file, of(header, data));
    }
}
