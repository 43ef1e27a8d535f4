package org.plugtorch.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;
import org.plugtorch.DType;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.DeviceInfo;
import org.plugtorch.spi.HostBuffer;

/**
 * The allocator: what the backend says about itself, zero-filled allocation of every claimed dtype (0, 1 and a
 * million elements), copy in and out through heap and direct little-endian NIO buffers at offsets (leaving the
 * buffers' positions alone), copies between two device buffers when the backend offers them, and many frees.
 */
final class AllocatorCases {
    private static final long LARGE = (1 << 20) + 3;

    private AllocatorCases() {}

    static List<DynamicNode> allocator(TckRunner run) {
        List<DynamicNode> out = new ArrayList<>();
        out.add(test("describes its device", () -> describes(run)));
        for (DType dtype : run.dtypes()) {
            List<DynamicNode> tests = new ArrayList<>();
            String t = dtype.torchName();
            for (long size : new long[] {0, 1, LARGE}) {
                tests.add(test("allocate " + size + " zero-filled", () -> zeroFilled(run, dtype, size)));
            }
            tests.add(test("round trip through heap buffers", () -> roundTrip(run, dtype, false)));
            tests.add(test("round trip through direct little-endian buffers", () -> roundTrip(run, dtype, true)));
            tests.add(test("copy in and out at offsets, heap buffers", () -> offsets(run, dtype, false)));
            tests.add(test("copy in and out at offsets, direct buffers", () -> offsets(run, dtype, true)));
            tests.add(test("copy between device buffers", () -> between(run, dtype)));
            tests.add(test("allocate and free many", () -> freeMany(run, dtype)));
            out.add(TckRunner.container("allocator " + t, tests));
        }
        return out;
    }

    private static DynamicTest test(String name, Executable body) {
        return DynamicTest.dynamicTest(name, body);
    }

    private static void describes(TckRunner run) {
        Backend b = run.backend;
        assertNull(b.unavailableReason(), "an available backend gives no reason");
        assertEquals(run.device.type(), b.deviceType(), "device type");
        assertFalse(b.dtypes().isEmpty(), "claims some dtypes");
        boolean listed = false;
        for (DeviceInfo info : b.devices()) {
            listed |= info.device().equals(run.device);
            assertTrue(info.name() != null && !info.name().isEmpty(), "device " + info.device() + " has a name");
        }
        assertTrue(listed, run.device + " is among the backend's devices " + b.devices());
    }

    private static void zeroFilled(TckRunner run, DType dtype, long size) {
        DeviceBuffer d = run.backend.allocate(run.device, dtype, size);
        try {
            assertEquals(run.device, d.device(), "buffer device");
            assertEquals(dtype, d.dtype(), "buffer dtype");
            assertEquals(size, d.size(), "buffer size");
            HostBuffer back = HostBuffer.allocate(dtype, size);
            fillWithOnes(back);
            if (size > 0) {
                run.backend.copyOut(d, 0, back.nio(0, size));
            }
            for (int p = 0; p < size; p++) {
                if (rawBits(back, p) != 0) {
                    throw new AssertionError("allocate(" + run.device + ", " + dtype + ", " + size
                            + ") is not zero-filled: element " + p + " is " + TckCase.doubleAt(back, p));
                }
            }
        } finally {
            run.backend.free(d);
        }
    }

    private static void roundTrip(TckRunner run, DType dtype, boolean direct) {
        int n = 1000;
        HostBuffer data = TckValues.GENERAL.fill(dtype, n, new Random(n + dtype.ordinal()));
        Buffer src = direct ? directCopy(data) : heapView(data, 3);
        Buffer dst = direct ? directCopy(HostBuffer.allocate(dtype, n)) : heapView(HostBuffer.allocate(dtype, n), 5);
        DeviceBuffer d = run.backend.allocate(run.device, dtype, n);
        try {
            run.backend.copyIn(d, 0, src);
            run.backend.copyOut(d, 0, dst);
        } finally {
            run.backend.free(d);
        }
        assertEquals(0, src.position(), "copyIn leaves the source position alone");
        assertEquals(0, dst.position(), "copyOut leaves the destination position alone");
        HostBuffer back = toHost(dst, dtype, n);
        for (int p = 0; p < n; p++) {
            if (rawBits(back, p) != rawBits(data, p)) {
                throw new AssertionError(dtype + " round trip through " + (direct ? "direct" : "heap")
                        + " buffers changed element " + p + ": " + TckCase.doubleAt(data, p) + " came back as "
                        + TckCase.doubleAt(back, p));
            }
        }
    }

    /** copyIn of 20 elements from position 4 of a source to device offset 13, then copyOut of 30 from offset 7. */
    private static void offsets(TckRunner run, DType dtype, boolean direct) {
        int size = 50;
        HostBuffer data = TckValues.GENERAL.fill(dtype, 40, new Random(7 + dtype.ordinal()));
        Buffer src = direct ? directCopy(data) : data.nio(0, 40);
        src.position(4).limit(24);
        Buffer dst = direct
                ? directCopy(HostBuffer.allocate(dtype, 40))
                : HostBuffer.allocate(dtype, 40).nio(0, 40);
        dst.position(2).limit(32);
        DeviceBuffer d = run.backend.allocate(run.device, dtype, size);
        try {
            run.backend.copyIn(d, 13, src);
            run.backend.copyOut(d, 7, dst);
        } finally {
            run.backend.free(d);
        }
        assertEquals(4, src.position(), "copyIn leaves the source position alone");
        assertEquals(2, dst.position(), "copyOut leaves the destination position alone");
        HostBuffer back = toHost(dst.duplicate().position(0).limit(40), dtype, 40);
        for (int i = 0; i < 30; i++) {
            int device = 7 + i;
            long expected = device >= 13 && device < 33 ? rawBits(data, 4 + device - 13) : 0;
            if (rawBits(back, 2 + i) != expected) {
                throw new AssertionError(dtype + ": device element " + device + " read back as "
                        + TckCase.doubleAt(back, 2 + i) + " (copied in 20 elements at offset 13, out 30 at offset 7)");
            }
        }
    }

    private static void between(TckRunner run, DType dtype) {
        HostBuffer data = TckValues.GENERAL.fill(dtype, 20, new Random(11 + dtype.ordinal()));
        DeviceBuffer src = run.backend.allocate(run.device, dtype, 20);
        DeviceBuffer dst = run.backend.allocate(run.device, dtype, 30);
        try {
            run.backend.copyIn(src, 0, data.nio(0, 20));
            if (!run.backend.copyBetween(dst, 5, src, 3, 10)) {
                return; // the runtime stages such copies through host memory instead
            }
            HostBuffer back = HostBuffer.allocate(dtype, 30);
            run.backend.copyOut(dst, 0, back.nio(0, 30));
            for (int p = 0; p < 30; p++) {
                long expected = p >= 5 && p < 15 ? rawBits(data, p - 2) : 0;
                if (rawBits(back, p) != expected) {
                    throw new AssertionError(dtype + ": after copyBetween(dst, 5, src, 3, 10) element " + p + " is "
                            + TckCase.doubleAt(back, p));
                }
            }
        } finally {
            run.backend.free(src);
            run.backend.free(dst);
        }
    }

    private static void freeMany(TckRunner run, DType dtype) {
        for (int i = 0; i < 200; i++) {
            run.backend.free(run.backend.allocate(run.device, dtype, 4096 + i));
        }
    }

    /** A heap NIO view of the buffer's elements whose backing array starts at a non-zero array offset. */
    private static Buffer heapView(HostBuffer h, int arrayOffset) {
        int n = (int) h.size();
        HostBuffer padded = HostBuffer.allocate(h.dtype(), n + arrayOffset);
        padded.put(arrayOffset, h.nio(0, n));
        return padded.nio(arrayOffset, n);
    }

    private static Buffer directCopy(HostBuffer h) {
        int n = (int) h.size();
        ByteBuffer bytes = ByteBuffer.allocateDirect(n * h.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        Buffer view;
        switch (h.dtype()) {
            case FLOAT32:
                view = bytes.asFloatBuffer();
                break;
            case FLOAT64:
                view = bytes.asDoubleBuffer();
                break;
            case INT64:
                view = bytes.asLongBuffer();
                break;
            case INT32:
                view = bytes.asIntBuffer();
                break;
            default:
                view = bytes;
        }
        h.get(0, view);
        return view;
    }

    private static HostBuffer toHost(Buffer b, DType dtype, int n) {
        HostBuffer h = HostBuffer.allocate(dtype, n);
        h.put(0, b);
        return h;
    }

    private static void fillWithOnes(HostBuffer h) {
        switch (h.dtype()) {
            case FLOAT32:
                java.util.Arrays.fill(h.floats(), 1f);
                break;
            case FLOAT64:
                java.util.Arrays.fill(h.doubles(), 1d);
                break;
            case INT64:
                java.util.Arrays.fill(h.longs(), 1L);
                break;
            case INT32:
                java.util.Arrays.fill(h.ints(), 1);
                break;
            default:
                java.util.Arrays.fill(h.bools(), (byte) 1);
        }
    }

    private static long rawBits(HostBuffer h, int p) {
        switch (h.dtype()) {
            case FLOAT32:
                return Float.floatToRawIntBits(h.floats()[p]);
            case FLOAT64:
                return Double.doubleToRawLongBits(h.doubles()[p]);
            default:
                return TckCase.longAt(h, p);
        }
    }
}
