package org.plugtorch.io;

import java.math.BigInteger;
import java.util.HashMap;

/**
 * Hash-consing of the hashable values one unpickling makes (None, bools, ints, floats, strings, and tuples of these):
 * each value is made canonical when it is read, so that equal values are one object from then on. Dict keys and tuple
 * items are then compared by identity, in constant time, however long a string is or however a tuple shares its
 * parts; the content is looked at once, when the value is made, at a cost its own bytes in the pickle pay for.
 *
 * <p>The tables are safe against chosen collisions: strings, ints and floats are {@link Comparable}, so a bucket of
 * equal hashes is a balanced tree; tuples are keyed by their items' identities, whose hashes the file cannot choose.
 * Equality is Java's: {@code 1}, {@code 1.0} and {@code True} stay three keys (Python would merge them), as before.
 */
final class Canonical {
    private static final Long[] SMALL = new Long[256];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = (long) i;
        }
    }

    private final HashMap<Long, Long> longs = new HashMap<>();
    private final HashMap<Double, Double> doubles = new HashMap<>();
    private final HashMap<BigInteger, BigInteger> bigIntegers = new HashMap<>();
    private final HashMap<String, String> strings = new HashMap<>();
    private final HashMap<TupleKey, PyTuple> tuples = new HashMap<>();

    Long of(long v) {
        if (v >= 0 && v < SMALL.length) {
            return SMALL[(int) v];
        }
        Long boxed = v;
        Long found = longs.putIfAbsent(boxed, boxed);
        return found != null ? found : boxed;
    }

    Double of(double v) {
        Double boxed = v;
        Double found = doubles.putIfAbsent(boxed, boxed);
        return found != null ? found : boxed;
    }

    /** A Long when the value fits one, else the canonical BigInteger. */
    Object of(BigInteger v) {
        if (v.bitLength() < 64) {
            return of(v.longValue());
        }
        BigInteger found = bigIntegers.putIfAbsent(v, v);
        return found != null ? found : v;
    }

    String of(String s) {
        String found = strings.putIfAbsent(s, s);
        return found != null ? found : s;
    }

    /**
     * The tuple of {@code items}: the canonical one when it is hashable (its items are then canonical already), else
     * a new one; null when it would nest deeper than {@code maxDepth}.
     */
    PyTuple tuple(Object[] items, int maxDepth) {
        PyTuple t = PyTuple.of(items, maxDepth);
        if (t == null || !t.hashable || t.isEmpty()) {
            return t;
        }
        PyTuple found = tuples.putIfAbsent(new TupleKey(items), t);
        return found != null ? found : t;
    }

    /**
     * The canonical scalar equal to {@code v} if this unpickling made one, else null; for Java code that looks a key up
     * by value ({@code dict.get("_metadata")}). Nothing is added; tuples are not looked up.
     */
    Object find(Object v) {
        if (v instanceof Boolean) {
            return Boolean.valueOf((Boolean) v);
        } else if (v instanceof String) {
            return strings.get(v);
        } else if (v instanceof Long) {
            long x = (Long) v;
            return x >= 0 && x < SMALL.length ? SMALL[(int) x] : longs.get(v);
        } else if (v instanceof Double) {
            return doubles.get(v);
        } else if (v instanceof BigInteger) {
            return bigIntegers.get(v);
        }
        return null;
    }

    /** A hashable tuple's items, compared by identity (they are canonical), hashed by identity. */
    private static final class TupleKey {
        private final Object[] items;
        private final int hash;

        TupleKey(Object[] items) {
            this.items = items;
            int h = 1;
            for (Object o : items) {
                h = 31 * h + System.identityHashCode(o);
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof TupleKey)) {
                return false;
            }
            Object[] other = ((TupleKey) o).items;
            if (other.length != items.length) {
                return false;
            }
            for (int i = 0; i < items.length; i++) {
                if (items[i] != other[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
