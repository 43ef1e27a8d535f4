package org.plugtorch.io;

import java.util.List;
import java.util.Map;

/** Names and conversions of parsed JSON values, for header validation and its messages. */
final class JsonTypes {
    private JsonTypes() {}

    static String name(Object v) {
        if (v instanceof Map) {
            return "an object";
        } else if (v instanceof List) {
            return "a list";
        } else if (v instanceof String) {
            return "a string";
        } else if (v instanceof Boolean) {
            return "a boolean";
        } else if (v == JsonParser.NULL) {
            return "null";
        }
        return "a number";
    }

    /** The value itself when it is short (a shape, offsets), else its kind. */
    static String describe(Object v) {
        String s = String.valueOf(v);
        return s.length() <= 60 ? s : name(v);
    }

    /** A list of non-negative integers that fit a long (of {@code length} elements unless -1), or null. */
    static long[] longs(Object v, int length) {
        if (!(v instanceof List)) {
            return null;
        }
        List<?> list = (List<?>) v;
        if (length >= 0 && list.size() != length) {
            return null;
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object x = list.get(i);
            if (!(x instanceof Long) || (Long) x < 0) {
                return null;
            }
            out[i] = (Long) x;
        }
        return out;
    }
}
