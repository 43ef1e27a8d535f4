package org.plugtorch.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Hand-made torch.save archives: records stored uncompressed with their CRCs, as torch.save writes them. */
final class TorchZipBytes {
    private final LinkedHashMap<String, byte[]> records = new LinkedHashMap<>();
    private final Map<String, Boolean> deflated = new LinkedHashMap<>();

    TorchZipBytes record(String name, byte[] data) {
        records.put(name, data);
        return this;
    }

    TorchZipBytes deflatedRecord(String name, byte[] data) {
        deflated.put(name, true);
        return record(name, data);
    }

    /** An archive {@code archive/} holding a pickle and float32 storages {@code data/0..} of the given sizes. */
    static TorchZipBytes stateDict(byte[] pickle, int... storageFloats) {
        TorchZipBytes z = new TorchZipBytes().record("archive/data.pkl", pickle);
        for (int i = 0; i < storageFloats.length; i++) {
            z.record("archive/data/" + i, new byte[storageFloats[i] * 4]);
        }
        return z.record("archive/version", "3\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    byte[] bytes() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, byte[]> r : records.entrySet()) {
                    ZipEntry e = new ZipEntry(r.getKey());
                    if (!deflated.containsKey(r.getKey())) {
                        e.setMethod(ZipEntry.STORED);
                        e.setSize(r.getValue().length);
                        CRC32 crc = new CRC32();
                        crc.update(r.getValue());
                        e.setCrc(crc.getValue());
                    }
                    zip.putNextEntry(e);
                    zip.write(r.getValue());
                    zip.closeEntry();
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
