package org.plugtorch.cuda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel entries of a PTX module as the PTX declares them: each entry's parameter sizes in bytes and its
 * {@code .maxntid} (the {@code __launch_bounds__} thread limit). The test driver checks every launch against these,
 * as the real driver would refuse a launch whose parameters or block do not fit.
 */
final class PtxSignatures {
    /** One {@code .entry}. */
    static final class Entry {
        final String name;
        final List<Integer> paramBytes;
        final int maxThreads;

        Entry(String name, List<Integer> paramBytes, int maxThreads) {
            this.name = name;
            this.paramBytes = paramBytes;
            this.maxThreads = maxThreads;
        }
    }

    private static final Pattern ENTRY =
            Pattern.compile("(?s)\\.visible \\.entry (\\w+)\\(\\s*(.*?)\\)\\s*((?:\\.\\w+[^{]*?)?)\\{");
    private static final Pattern ARRAY_PARAM =
            Pattern.compile("\\.param\\s+(?:\\.align \\d+\\s+)?\\.b8\\s+\\w+\\[(\\d+)\\]");
    private static final Pattern SCALAR_PARAM = Pattern.compile("\\.param\\s+\\.[usbf](\\d+)\\b");
    private static final Pattern MAXNTID = Pattern.compile("\\.maxntid\\s+(\\d+),\\s*(\\d+),\\s*(\\d+)");

    private PtxSignatures() {}

    static Map<String, Entry> parse(String ptx) {
        Map<String, Entry> out = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            List<Integer> sizes = new ArrayList<>();
            for (String param : m.group(2).split(",")) {
                String p = param.strip();
                if (p.isEmpty()) {
                    continue;
                }
                Matcher a = ARRAY_PARAM.matcher(p);
                Matcher s = SCALAR_PARAM.matcher(p);
                if (a.find()) {
                    sizes.add(Integer.parseInt(a.group(1)));
                } else if (s.find()) {
                    sizes.add(Integer.parseInt(s.group(1)) / 8);
                } else {
                    throw new IllegalStateException("unreadable parameter of " + m.group(1) + ": " + p);
                }
            }
            Matcher t = MAXNTID.matcher(m.group(3));
            int max = t.find()
                    ? Integer.parseInt(t.group(1)) * Integer.parseInt(t.group(2)) * Integer.parseInt(t.group(3))
                    : 1024;
            out.put(m.group(1), new Entry(m.group(1), sizes, max));
        }
        return out;
    }
}
