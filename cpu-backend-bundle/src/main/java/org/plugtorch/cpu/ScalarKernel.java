package org.plugtorch.cpu;

/**
 * A binary kernel whose second operand is a broadcast scalar, {@code b[bIndex]}, over the index range
 * {@code [from, to)} that the output and the first operand share: {@code x * 0.5} without staging the 0.5.
 */
@FunctionalInterface
interface ScalarKernel {
    void run(Object out, Object a, Object b, int bIndex, int from, int to);
}
