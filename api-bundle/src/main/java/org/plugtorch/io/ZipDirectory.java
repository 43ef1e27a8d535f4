package org.plugtorch.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The records of a zip archive as torch.save writes it (stored, not compressed, ZIP64 when large), read from the
 * mapped file's central directory, so that each record's bytes can be used in place. Every offset and size is checked
 * against the file before use; anything torch.save does not write (compression, encryption, multiple disks) is
 * refused by name.
 */
final class ZipDirectory {
    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;

    /** One record: where its bytes lie in the file. */
    static final class Record {
        final String name;
        final long dataOffset;
        final long size;
        final int crc;

        Record(String name, long dataOffset, long size, int crc) {
            this.name = name;
            this.dataOffset = dataOffset;
            this.size = size;
            this.crc = crc;
        }
    }

    private final MappedFile file;
    private final LinkedHashMap<String, Record> records;

    private ZipDirectory(MappedFile file, LinkedHashMap<String, Record> records) {
        this.file = file;
        this.records = records;
    }

    Map<String, Record> records() {
        return records;
    }

    private static CheckpointFormatException error(MappedFile f, String message) {
        return new CheckpointFormatException(f.name() + ": " + message);
    }

    static ZipDirectory read(MappedFile f) throws IOException {
        long eocd = findEndOfCentralDirectory(f);
        ByteBuffer end = f.slice(eocd, 22);
        if (end.getShort(4) != 0 || end.getShort(6) != 0) {
            throw error(f, "a multi-disk zip archive (end record at byte " + eocd + "), which torch.save never writes");
        }
        long count = end.getShort(10) & 0xffff;
        long directorySize = end.getInt(12) & 0xffffffffL;
        long directoryOffset = end.getInt(16) & 0xffffffffL;
        if (eocd >= 20 && f.slice(eocd - 20, 4).getInt(0) == ZIP64_LOCATOR) {
            ByteBuffer locator = f.slice(eocd - 20, 20);
            long zip64 = locator.getLong(8);
            if (zip64 < 0 || zip64 > eocd - 20 - 56) {
                throw error(
                        f,
                        "the ZIP64 end record offset " + zip64 + " (locator at byte " + (eocd - 20)
                                + ") lies outside the file");
            }
            ByteBuffer record = f.slice(zip64, 56);
            if (record.getInt(0) != ZIP64_EOCD) {
                throw error(f, "no ZIP64 end record at byte " + zip64 + ", where the locator points");
            }
            count = record.getLong(32);
            directorySize = record.getLong(40);
            directoryOffset = record.getLong(48);
        }
        if (directoryOffset < 0
                || directorySize < 0
                || directoryOffset > eocd
                || directorySize > eocd - directoryOffset) {
            throw error(
                    f,
                    "the central directory (" + directorySize + " bytes at byte " + directoryOffset
                            + ") does not fit before the end record at byte " + eocd);
        }
        if (count < 0 || count > directorySize / 46) {
            throw error(
                    f,
                    "the end record declares " + count + " records, more than a central directory of " + directorySize
                            + " bytes can hold");
        }
        LinkedHashMap<String, Record> records = new LinkedHashMap<>();
        long at = directoryOffset;
        long directoryEnd = directoryOffset + directorySize;
        for (long i = 0; i < count; i++) {
            at = readEntry(f, at, directoryEnd, records);
        }
        return new ZipDirectory(f, records);
    }

    private static long findEndOfCentralDirectory(MappedFile f) throws IOException {
        long size = f.size();
        if (size < 22) {
            throw error(f, size + " bytes is too short for a zip archive");
        }
        long earliest = Math.max(0, size - 22 - 0xffff);
        ByteBuffer tail = f.slice(earliest, (int) (size - earliest));
        for (int p = tail.capacity() - 22; p >= 0; p--) {
            if (tail.getInt(p) == EOCD && p + 22 + (tail.getShort(p + 20) & 0xffff) == tail.capacity()) {
                return earliest + p;
            }
        }
        throw error(f, "no zip end-of-central-directory record: the file is truncated or not a zip archive");
    }

    private static long readEntry(MappedFile f, long at, long directoryEnd, Map<String, Record> records)
            throws IOException {
        if (at > directoryEnd - 46) {
            throw error(f, "central directory record at byte " + at + " runs past the directory's end");
        }
        ByteBuffer h = f.slice(at, 46);
        if (h.getInt(0) != CENTRAL) {
            throw error(f, "no central directory record at byte " + at);
        }
        int flags = h.getShort(8) & 0xffff;
        int method = h.getShort(10) & 0xffff;
        int crc = h.getInt(16);
        long compressed = h.getInt(20) & 0xffffffffL;
        long size = h.getInt(24) & 0xffffffffL;
        int nameLength = h.getShort(28) & 0xffff;
        int extraLength = h.getShort(30) & 0xffff;
        int commentLength = h.getShort(32) & 0xffff;
        long localOffset = h.getInt(42) & 0xffffffffL;
        long next = at + 46 + nameLength + extraLength + commentLength;
        if (next > directoryEnd) {
            throw error(f, "central directory record at byte " + at + " runs past the directory's end");
        }
        byte[] nameBytes = new byte[nameLength];
        f.slice(at + 46, nameLength).get(nameBytes);
        if (Utf8.firstInvalid(nameBytes) >= 0) {
            throw error(f, "record name at byte " + (at + 46) + " is not valid UTF-8");
        }
        String name = new String(nameBytes, StandardCharsets.UTF_8);
        String where = "record '" + CheckpointDescription.printable(name) + "' (directory byte " + at + ")";
        if ((flags & 0x41) != 0) {
            throw error(f, where + " is encrypted, which torch.save never does");
        }
        if (compressed == 0xffffffffL || size == 0xffffffffL || localOffset == 0xffffffffL) {
            long[] wide = zip64Extra(
                    f,
                    at + 46 + nameLength,
                    extraLength,
                    size == 0xffffffffL,
                    compressed == 0xffffffffL,
                    localOffset == 0xffffffffL,
                    where);
            size = wide[0] >= 0 ? wide[0] : size;
            compressed = wide[1] >= 0 ? wide[1] : compressed;
            localOffset = wide[2] >= 0 ? wide[2] : localOffset;
        }
        if (method != 0 || compressed != size) {
            throw error(f, where + " is compressed (method " + method + "); torch.save stores records uncompressed");
        }
        long data = localData(f, localOffset, nameBytes, where);
        if (size < 0 || data > f.size() - size) {
            throw error(
                    f,
                    where + " claims " + size + " bytes at byte " + data + ", past the end of the file (" + f.size()
                            + " bytes)");
        }
        if (records.put(name, new Record(name, data, size, crc)) != null) {
            throw error(f, where + " appears twice in the directory");
        }
        return next;
    }

    /** The ZIP64 extended-information field's sizes and offset (-1 for those not present). */
    private static long[] zip64Extra(
            MappedFile f, long at, int length, boolean hasSize, boolean hasCompressed, boolean hasOffset, String where)
            throws IOException {
        ByteBuffer extra = f.slice(at, length);
        int p = 0;
        while (p + 4 <= length) {
            int id = extra.getShort(p) & 0xffff;
            int fieldLength = extra.getShort(p + 2) & 0xffff;
            if (p + 4 + fieldLength > length) {
                break;
            }
            if (id == 1) {
                long[] out = {-1, -1, -1};
                int q = p + 4;
                boolean[] present = {hasSize, hasCompressed, hasOffset};
                for (int i = 0; i < 3; i++) {
                    if (present[i]) {
                        if (q + 8 > p + 4 + fieldLength) {
                            throw error(f, where + " has a ZIP64 field too short for the sizes it must hold");
                        }
                        out[i] = extra.getLong(q);
                        q += 8;
                    }
                }
                return out;
            }
            p += 4 + fieldLength;
        }
        throw error(f, where + " needs a ZIP64 field for its sizes but has none");
    }

    /** Where a record's bytes begin: after its local header, whose name must agree with the directory's. */
    private static long localData(MappedFile f, long offset, byte[] name, String where) throws IOException {
        if (offset < 0 || offset > f.size() - 30) {
            throw error(f, where + " has its local header at byte " + offset + ", outside the file");
        }
        ByteBuffer local = f.slice(offset, 30);
        if (local.getInt(0) != LOCAL) {
            throw error(f, where + " has no local header at byte " + offset);
        }
        int nameLength = local.getShort(26) & 0xffff;
        int extraLength = local.getShort(28) & 0xffff;
        long data = offset + 30 + nameLength + extraLength;
        if (data > f.size()) {
            throw error(f, where + ": its local header at byte " + offset + " runs past the end of the file");
        }
        byte[] localName = new byte[nameLength];
        f.slice(offset + 30, nameLength).get(localName);
        if (!java.util.Arrays.equals(name, localName)) {
            throw error(f, where + ": the local header at byte " + offset + " names another record");
        }
        return data;
    }

    /**
     * Checks a record's bytes against its CRC-32. A CRC of 0 is taken as "not recorded": PyTorch can be told not to
     * compute CRCs (torch.serialization.set_crc32_options) and its own reader does not check them.
     */
    void checkCrc(Record r) throws IOException {
        if (r.crc == 0) {
            return;
        }
        CRC32 crc = new CRC32();
        for (long p = 0; p < r.size; p += MappedFile.MAX_SLICE) {
            crc.update(file.slice(r.dataOffset + p, (int) Math.min(MappedFile.MAX_SLICE, r.size - p)));
        }
        if ((int) crc.getValue() != r.crc) {
            throw error(
                    file,
                    "record '" + CheckpointDescription.printable(r.name) + "' fails its CRC-32 check "
                            + String.format("(stored %08x, computed %08x)", r.crc, (int) crc.getValue())
                            + ": the file is corrupt");
        }
    }
}
