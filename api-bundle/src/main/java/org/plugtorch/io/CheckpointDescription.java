package org.plugtorch.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The text of {@code plugtorch inspect}: a summary line, the metadata, then a table of tensors. */
final class CheckpointDescription {
    private CheckpointDescription() {}

    static String of(Checkpoint c) {
        List<TensorEntry> entries = c.entries();
        // huge views can add up past a long
        java.math.BigInteger total = java.math.BigInteger.ZERO;
        long run = 0;
        for (TensorEntry e : entries) {
            if (run > Long.MAX_VALUE - e.byteSize()) {
                total = total.add(java.math.BigInteger.valueOf(run));
                run = 0;
            }
            run += e.byteSize();
        }
        total = total.add(java.math.BigInteger.valueOf(run));
        StringBuilder out = new StringBuilder();
        out.append(Checkpoints.name(c.path()))
                .append(": ")
                .append(c.format())
                .append(", ")
                .append(entries.size())
                .append(entries.size() == 1 ? " tensor, " : " tensors, ")
                .append(total)
                .append(" bytes of tensor data\n");
        if (!c.metadata().isEmpty()) {
            out.append("metadata:\n");
            for (Map.Entry<String, String> m : c.metadata().entrySet()) {
                out.append("  ")
                        .append(printable(m.getKey()))
                        .append(": ")
                        .append(printable(m.getValue()))
                        .append('\n');
            }
        }
        boolean located = entries.stream().anyMatch(e -> e.location() != null);
        List<String[]> rows = new ArrayList<>();
        rows.add(
                located
                        ? new String[] {"name", "dtype", "shape", "bytes", "location"}
                        : new String[] {"name", "dtype", "shape", "bytes"});
        for (TensorEntry e : entries) {
            String[] row = {printable(e.name()), e.dtypeName(), Sizes.list(e.shape()), Long.toString(e.byteSize())};
            rows.add(located ? new String[] {row[0], row[1], row[2], row[3], e.location()} : row);
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]).append(i == r.length - 1 ? "" : " ".repeat(width[i] - r[i].length() + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** Control characters (a hostile name could hold terminal escapes) shown as escapes, never printed raw. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
