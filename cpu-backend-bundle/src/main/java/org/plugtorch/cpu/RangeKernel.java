package org.plugtorch.cpu;

/**
 * An element-wise kernel over the index range {@code [from, to)} of arrays that all use the same index: {@code
 * arrays[0]} is written, the others are read. One index for every array is what lets HotSpot's superword pass
 * vectorise the loop inside (with a different offset per array it must assume the output aliases an input).
 */
@FunctionalInterface
interface RangeKernel {
    void run(Object[] arrays, int from, int to);
}
