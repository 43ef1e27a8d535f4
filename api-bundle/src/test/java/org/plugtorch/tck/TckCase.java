package org.plugtorch.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;

/**
 * One kernel call checked against the reference: some buffers with seeded contents, operands viewing them
 * (operand 0 is the destination; an input may view the destination's buffer through the same layout, in place),
 * and the call. {@link #verify} runs the call twice, on {@link ReferenceBackend} over host copies and on the backend
 * under test over device copies, and then demands that
 * <ul>
 * <li>every destination element matches within the case's {@link Tolerance},</li>
 * <li>every other element of the destination's buffer, and every input buffer, is exactly as it was.</li>
 * </ul>
 * A failure names the case, the first mismatching index, both values, and every operand's layout.
 */
final class TckCase {
    /** The kernel call, given the operands in order (destination first). */
    interface Call {
        void run(Backend backend, Operand[] operands);
    }

    private final String name;
    private final Random random;
    private final List<HostBuffer> buffers = new ArrayList<>();
    private final List<Integer> operandBuffer = new ArrayList<>();
    private final List<TckLayout> operandLayout = new ArrayList<>();
    private final List<String> operandRole = new ArrayList<>();
    private Call call;
    private Tolerance tolerance = Tolerance.exact();

    /** @param name the full case name, which also seeds the case's data */
    TckCase(String name) {
        this.name = name;
        this.random = new Random(0x5EED_0F_7C4L ^ name.hashCode());
    }

    String name() {
        return name;
    }

    Random random() {
        return random;
    }

    /** Adds an operand over a new buffer of {@code layout.bufferSize} elements from {@code values}. */
    TckCase operand(String role, DType dtype, TckLayout layout, TckValues values) {
        buffers.add(values.fill(dtype, layout.bufferSize, random));
        return view(role, buffers.size() - 1, layout);
    }

    /** Adds an operand viewing operand {@code other}'s buffer through its layout: in place, or a repeated input. */
    TckCase alias(String role, int other) {
        return view(role, operandBuffer.get(other), operandLayout.get(other));
    }

    private TckCase view(String role, int buffer, TckLayout layout) {
        operandBuffer.add(buffer);
        operandLayout.add(layout);
        operandRole.add(role);
        return this;
    }

    DType dtype(int operand) {
        return buffers.get(operandBuffer.get(operand)).dtype();
    }

    TckLayout layout(int operand) {
        return operandLayout.get(operand);
    }

    TckCase call(Call c) {
        this.call = c;
        return this;
    }

    TckCase tolerance(Tolerance t) {
        this.tolerance = t;
        return this;
    }

    void verify(Backend backend, Device device) {
        HostBuffer[] expected = runReference(buffers);
        HostBuffer[] magnitude = tolerance.needsMagnitude() ? runReference(absolute(buffers)) : null;
        HostBuffer[] actual = runOnDevice(backend, device);
        int out = operandBuffer.get(0);
        TckLayout outLayout = operandLayout.get(0);
        boolean[] inView = new boolean[(int) outLayout.bufferSize];
        long[] idx = new long[outLayout.shape.length];
        if (outLayout.numel() > 0) {
            do {
                int p = (int) position(outLayout, idx);
                inView[p] = true;
                String why = compare(expected[out], actual[out], magnitude == null ? null : magnitude[out], p);
                if (why != null) {
                    throw new AssertionError(
                            describeMismatch("destination " + index(idx), p, expected[out], actual[out], why));
                }
            } while (next(idx, outLayout.shape));
        }
        for (int b = 0; b < buffers.size(); b++) {
            for (int p = 0; p < buffers.get(b).size(); p++) {
                if (b == out && inView[p]) {
                    continue;
                }
                if (!sameBits(buffers.get(b), actual[b], p)) {
                    String what = b == out ? "an element outside the destination view" : "an input buffer";
                    throw new AssertionError(describeMismatch(
                            what + " (buffer " + b + ") was written",
                            p,
                            buffers.get(b),
                            actual[b],
                            "must be left unchanged"));
                }
            }
        }
    }

    private HostBuffer[] runReference(List<HostBuffer> initial) {
        HostBuffer[] copies = new HostBuffer[initial.size()];
        for (int b = 0; b < copies.length; b++) {
            HostBuffer src = initial.get(b);
            copies[b] = HostBuffer.allocate(src.dtype(), src.size());
            copies[b].put(0, src.nio(0, src.size()));
        }
        call.run(new ReferenceBackend(), operands(copies));
        return copies;
    }

    private HostBuffer[] runOnDevice(Backend backend, Device device) {
        DeviceBuffer[] onDevice = new DeviceBuffer[buffers.size()];
        try {
            for (int b = 0; b < onDevice.length; b++) {
                HostBuffer src = buffers.get(b);
                onDevice[b] = backend.allocate(device, src.dtype(), src.size());
                if (src.size() > 0) {
                    backend.copyIn(onDevice[b], 0, src.nio(0, src.size()));
                }
            }
            try {
                call.run(backend, operands(onDevice));
            } catch (RuntimeException | Error e) {
                throw new AssertionError(name + " threw " + e + "\n  " + operandsText(), e);
            }
            HostBuffer[] back = new HostBuffer[onDevice.length];
            for (int b = 0; b < onDevice.length; b++) {
                back[b] = HostBuffer.allocate(onDevice[b].dtype(), onDevice[b].size());
                if (back[b].size() > 0) {
                    backend.copyOut(onDevice[b], 0, back[b].nio(0, back[b].size()));
                }
            }
            return back;
        } finally {
            for (DeviceBuffer d : onDevice) {
                if (d != null) {
                    backend.free(d);
                }
            }
        }
    }

    private Operand[] operands(DeviceBuffer[] storage) {
        Operand[] ops = new Operand[operandBuffer.size()];
        for (int i = 0; i < ops.length; i++) {
            ops[i] = operandLayout.get(i).on(storage[operandBuffer.get(i)]);
        }
        return ops;
    }

    /** Copies with every floating-point element replaced by its absolute value: the input of the magnitude run. */
    private static List<HostBuffer> absolute(List<HostBuffer> buffers) {
        List<HostBuffer> out = new ArrayList<>();
        for (HostBuffer h : buffers) {
            HostBuffer c = HostBuffer.allocate(h.dtype(), h.size());
            c.put(0, h.nio(0, h.size()));
            if (h.dtype() == DType.FLOAT32) {
                float[] v = c.floats();
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.abs(v[i]);
                }
            } else if (h.dtype() == DType.FLOAT64) {
                double[] v = c.doubles();
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.abs(v[i]);
                }
            }
            out.add(c);
        }
        return out;
    }

    private String compare(HostBuffer expected, HostBuffer actual, HostBuffer magnitude, int p) {
        DType dtype = expected.dtype();
        if (!dtype.isFloatingPoint()) {
            return longAt(expected, p) == longAt(actual, p) ? null : "expected exactly";
        }
        return tolerance.mismatch(
                dtype, doubleAt(expected, p), doubleAt(actual, p), magnitude == null ? 0 : doubleAt(magnitude, p));
    }

    private static boolean sameBits(HostBuffer a, HostBuffer b, int p) {
        switch (a.dtype()) {
            case FLOAT32:
                return Float.floatToIntBits(a.floats()[p]) == Float.floatToIntBits(b.floats()[p]);
            case FLOAT64:
                return Double.doubleToLongBits(a.doubles()[p]) == Double.doubleToLongBits(b.doubles()[p]);
            default:
                return longAt(a, p) == longAt(b, p);
        }
    }

    static double doubleAt(HostBuffer h, int p) {
        switch (h.dtype()) {
            case FLOAT32:
                return h.floats()[p];
            case FLOAT64:
                return h.doubles()[p];
            default:
                return longAt(h, p);
        }
    }

    static long longAt(HostBuffer h, int p) {
        switch (h.dtype()) {
            case INT64:
                return h.longs()[p];
            case INT32:
                return h.ints()[p];
            case BOOL:
                return h.bools()[p];
            default:
                throw new AssertionError(h.dtype());
        }
    }

    private static String text(HostBuffer h, int p) {
        switch (h.dtype()) {
            case FLOAT32: {
                float f = h.floats()[p];
                return f + " (0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
            }
            case FLOAT64: {
                double d = h.doubles()[p];
                return d + " (0x" + Long.toHexString(Double.doubleToRawLongBits(d)) + ")";
            }
            default:
                return Long.toString(longAt(h, p));
        }
    }

    private String describeMismatch(String where, int p, HostBuffer expected, HostBuffer actual, String why) {
        return name + ": " + where + ", buffer element " + p + ": expected " + text(expected, p) + ", got "
                + text(actual, p) + " (" + why + "; tolerance " + tolerance + ")\n  " + operandsText();
    }

    private String operandsText() {
        StringJoiner j = new StringJoiner("\n  ");
        for (int i = 0; i < operandLayout.size(); i++) {
            j.add(operandRole.get(i) + ": " + dtype(i).torchName() + " " + operandLayout.get(i) + " in buffer "
                    + operandBuffer.get(i));
        }
        return j.toString();
    }

    static long position(TckLayout l, long[] idx) {
        long p = l.offset;
        for (int i = 0; i < idx.length; i++) {
            p += idx[i] * l.strides[i];
        }
        return p;
    }

    /** Advances a row-major multi-index; false once it wraps around. */
    static boolean next(long[] idx, long[] shape) {
        for (int i = idx.length - 1; i >= 0; i--) {
            if (++idx[i] < shape[i]) {
                return true;
            }
            idx[i] = 0;
        }
        return false;
    }

    private static String index(long[] idx) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (long i : idx) {
            j.add(Long.toString(i));
        }
        return j.toString();
    }
}
