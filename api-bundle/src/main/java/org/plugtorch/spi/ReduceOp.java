package org.plugtorch.spi;

/**
 * Reductions over the trailing dimensions of the source: a destination of rank {@code r} takes the source's first
 * {@code r} dimensions, and each destination element reduces every source element with that prefix (the runtime
 * permutes the reduced dimensions to the end, which costs nothing for a strided view).
 *
 * <p>SUM, PROD, MAX and MIN write the source dtype (the runtime widens integer sums to int64 first); MAX and MIN
 * propagate NaN. ARGMAX and ARGMIN write int64: the row-major position, within the reduced dimensions, of the first
 * maximal (minimal) element, or of the first NaN. The runtime never asks for MAX, MIN, ARGMAX or ARGMIN over zero
 * elements.
 */
public enum ReduceOp {
    SUM,
    PROD,
    MAX,
    MIN,
    ARGMAX,
    ARGMIN
}
