package org.plugtorch.cuda;

/** Byte counts for messages: exact, with a binary unit beside them when large. */
final class Bytes {
    private Bytes() {}

    static String describe(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return bytes + " bytes (" + String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]) + ")";
    }
}
