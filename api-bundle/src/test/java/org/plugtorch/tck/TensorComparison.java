package org.plugtorch.tck;

import java.util.Arrays;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;

/**
 * Compares a tensor computed on the device under test with the same computed on the reference device: same shape,
 * dtype and device kind, and the same values (exactly for integer and bool results; floating-point results within
 * a relative and absolute tolerance, since frontend programs chain several kernels). Values are read through the
 * reference device, so reading needs no kernels of the backend under test or of the CPU.
 */
final class TensorComparison {
    private TensorComparison() {}

    static void assertMatches(String program, Tensor actual, Device expectedDevice, Tensor expected, Device reference) {
        if (!actual.device().equals(expectedDevice)) {
            throw new AssertionError(program + ": result is on " + actual.device() + ", expected " + expectedDevice);
        }
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            throw new AssertionError(program + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
        }
        if (actual.dtype() != expected.dtype()) {
            throw new AssertionError(program + ": dtype " + actual.dtype() + ", expected " + expected.dtype());
        }
        DType dtype = actual.dtype();
        if (!dtype.isFloatingPoint()) {
            long[] a = read(actual, reference, DType.INT64).toLongArray();
            long[] e = read(expected, reference, DType.INT64).toLongArray();
            for (int i = 0; i < a.length; i++) {
                if (a[i] != e[i]) {
                    throw mismatch(program, actual, i, e[i], a[i], "exactly");
                }
            }
            return;
        }
        double rtol = dtype == DType.FLOAT32 ? 1e-4 : 1e-10;
        double atol = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
        double[] a = read(actual, reference, DType.FLOAT64).toDoubleArray();
        double[] e = read(expected, reference, DType.FLOAT64).toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            boolean ok = Double.isNaN(e[i])
                    ? Double.isNaN(a[i])
                    : Double.isInfinite(e[i]) ? a[i] == e[i] : Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
            if (!ok) {
                throw mismatch(program, actual, i, e[i], a[i], "within " + atol + " + " + rtol + " * |expected|");
            }
        }
    }

    /** A contiguous host copy of {@code t} as {@code dtype}, converted on the reference device. */
    private static Tensor read(Tensor t, Device reference, DType dtype) {
        return t.to(reference).to(dtype).cpu();
    }

    private static AssertionError mismatch(
            String program, Tensor t, int flat, Object expected, Object actual, String how) {
        long[] shape = t.shape();
        long[] idx = new long[shape.length];
        long rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        return new AssertionError(program + ": element " + Arrays.toString(idx) + " of " + t.dtype() + " "
                + Arrays.toString(shape) + " is " + actual + ", expected " + expected + " (" + how + ")");
    }
}
