package org.plugtorch.cpu;

/**
 * A binary kernel whose second input is read {@code shift} elements away from the output and first input:
 * {@code d[i] = a[i] op b[i + shift]} for {@code from <= i < to}. It serves a broadcast row (bias added to every row
 * of a matrix) without staging: HotSpot does not vectorise it (the shifted load might alias the store), but a
 * scalar loop over three streams is still quicker than copying them through scratch arrays and back.
 */
@FunctionalInterface
interface ShiftedKernel {
    void run(Object d, Object a, Object b, int shift, int from, int to);
}
