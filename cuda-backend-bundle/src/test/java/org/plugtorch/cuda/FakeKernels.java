package org.plugtorch.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.plugtorch.DType;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.IterationSpace;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;
import org.plugtorch.tck.ReferenceBackend;

/**
 * Executes a kernel launch of {@link FakeCudaDriver} as the CUDA C kernel of that name would, on the test kit's
 * {@link ReferenceBackend}: parameters are decoded by the declarations in {@code plugtorch.cuh} (not by the host's
 * encoder), device pointers resolved to allocations of the launching device, op codes named by the header's constants,
 * and the operands handed to the reference kernel. Fill and where copy bits, as their kernels do. Launch geometry the
 * kernels depend on is checked: tiles covering the product, reduction blocks of a power-of-two width.
 *
 * <p>So the backend's host side (layouts, strides, offsets, pointer and op-code plumbing, launch splitting) is checked
 * against an oracle with every SPI call the test kit makes; whether the CUDA C computes the right thing is the GPU
 * run's to prove.
 */
final class FakeKernels {
    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    /** The allocations a launch touches, as host buffers of the kernel's dtypes. */
    private static final class Memory {
        final FakeCudaDriver driver;
        final int device;
        final Map<FakeCudaDriver.Allocation, HostBuffer> views = new IdentityHashMap<>();
        final Map<FakeCudaDriver.Allocation, DType> types = new IdentityHashMap<>();

        Memory(FakeCudaDriver driver, int device) {
            this.driver = driver;
            this.device = device;
        }

        /** An operand over the pointer, checking that every element it addresses is memory of this device. */
        Operand operand(long pointer, DType dtype, long offset, long[] shape, long[] strides) {
            long[] span = span(offset, shape, strides);
            int size = dtype.byteSize();
            if (span == null) {
                return new Operand(HostBuffer.allocate(dtype, 0), 0, shape, strides); // nothing addressed
            }
            long lo = pointer + span[0] * size;
            long length = (span[1] - span[0] + 1) * size;
            FakeCudaDriver.Allocation a = driver.allocationAt(lo, length, "cuLaunchKernel");
            if (a.device != device || (pointer - a.base) % size != 0) {
                throw FakeCudaDriver.error("cuLaunchKernel", FakeCudaDriver.ILLEGAL_ADDRESS);
            }
            DType seen = types.putIfAbsent(a, dtype);
            if (seen != null && seen != dtype) {
                throw new IllegalStateException("one allocation read as " + seen + " and " + dtype + " in one launch");
            }
            HostBuffer h = views.computeIfAbsent(a, x -> toHost(x.bytes, dtype));
            return new Operand(h, (pointer - a.base) / size + offset, shape, strides);
        }

        /** Writes the host copies back into device memory. */
        void commit() {
            for (Map.Entry<FakeCudaDriver.Allocation, HostBuffer> e : views.entrySet()) {
                fromHost(e.getValue(), e.getKey().bytes);
            }
        }
    }

    private FakeKernels() {}

    static void execute(FakeCudaDriver driver, int device, String kernel, int[] grid, int[] block, byte[][] p) {
        CudaHeader h = CudaHeader.get();
        Memory mem = new Memory(driver, device);
        String[] parts = kernel.split("_");
        switch (parts[1]) {
            case "copy": {
                Map<String, long[]> l = strided(h, p[0]);
                Operand dst = operand(mem, l, 0, pointer(p[1]), dtype(parts[3]));
                Operand src = operand(mem, l, 1, pointer(p[2]), dtype(parts[2]));
                REFERENCE.copy(dst, src);
                break;
            }
            case "fill": {
                Map<String, long[]> l = strided(h, p[0]);
                long bits = ByteBuffer.wrap(p[2]).order(ByteOrder.LITTLE_ENDIAN).getLong();
                storeBits(operand(mem, l, 0, pointer(p[1]), bitsType(parts[2])), bits);
                break;
            }
            case "unary": {
                Map<String, long[]> l = strided(h, p[0]);
                UnaryOp op = UnaryOp.valueOf(h.constantName("PT_UNARY_", int32(p[1])));
                DType t = dtype(parts[2]);
                REFERENCE.unary(op, operand(mem, l, 0, pointer(p[2]), t), operand(mem, l, 1, pointer(p[3]), t));
                break;
            }
            case "logical": {
                Map<String, long[]> l = strided(h, p[0]);
                REFERENCE.unary(
                        UnaryOp.LOGICAL_NOT,
                        operand(mem, l, 0, pointer(p[1]), DType.BOOL),
                        operand(mem, l, 1, pointer(p[2]), dtype(parts[3])));
                break;
            }
            case "binary":
            case "compare": {
                Map<String, long[]> l = strided(h, p[0]);
                BinaryOp op = BinaryOp.valueOf(h.constantName("PT_BINARY_", int32(p[1])));
                if (op.producesBool() != parts[1].equals("compare")) {
                    throw new IllegalStateException(op + " launched through " + kernel);
                }
                DType t = dtype(parts[2]);
                REFERENCE.binary(
                        op,
                        operand(mem, l, 0, pointer(p[2]), op.producesBool() ? DType.BOOL : t),
                        operand(mem, l, 1, pointer(p[3]), t),
                        operand(mem, l, 2, pointer(p[4]), t));
                break;
            }
            case "where": {
                Map<String, long[]> l = strided(h, p[0]);
                DType t = bitsType(parts[2]);
                where(
                        operand(mem, l, 0, pointer(p[1]), t),
                        operand(mem, l, 1, pointer(p[2]), DType.BOOL),
                        operand(mem, l, 2, pointer(p[3]), t),
                        operand(mem, l, 3, pointer(p[4]), t));
                break;
            }
            case "reduce":
                reduce(h, mem, dtype(parts[2]), grid, block, p);
                break;
            case "matmul":
                matmul(h, mem, dtype(parts[2]), grid, block, p);
                break;
            default:
                throw new IllegalStateException("the test driver cannot run " + kernel);
        }
        mem.commit();
    }

    // ---- decoding ----

    private static Map<String, long[]> strided(CudaHeader h, byte[] param) {
        Map<String, long[]> l = h.decode("PtStrided", param);
        int rank = (int) l.get("rank")[0];
        long numel = 1;
        for (int d = 0; d < rank; d++) {
            numel *= l.get("shape")[d];
        }
        if (rank < 0 || rank > h.number("PT_MAX_DIMS") || numel != l.get("numel")[0]) {
            throw new IllegalStateException("inconsistent PtStrided: rank " + rank + ", numel " + l.get("numel")[0]
                    + ", shape " + Arrays.toString(l.get("shape")));
        }
        return l;
    }

    private static Operand operand(Memory mem, Map<String, long[]> l, int index, long pointer, DType dtype) {
        int rank = (int) l.get("rank")[0];
        int maxDims = (int) CudaHeader.get().number("PT_MAX_DIMS");
        long[] shape = Arrays.copyOf(l.get("shape"), rank);
        long[] strides = Arrays.copyOfRange(l.get("stride"), index * maxDims, index * maxDims + rank);
        return mem.operand(pointer, dtype, l.get("offset")[index], shape, strides);
    }

    private static long pointer(byte[] param) {
        return ByteBuffer.wrap(param).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static int int32(byte[] param) {
        return ByteBuffer.wrap(param).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    static DType dtype(String suffix) {
        switch (suffix) {
            case "b8":
                return DType.BOOL;
            case "i32":
                return DType.INT32;
            case "i64":
                return DType.INT64;
            case "f32":
                return DType.FLOAT32;
            case "f64":
                return DType.FLOAT64;
            default:
                throw new IllegalStateException("no dtype is spelled " + suffix);
        }
    }

    /** Bit copies run on unsigned types of a width; these dtypes carry the bits unchanged. */
    private static DType bitsType(String width) {
        switch (width) {
            case "8":
                return DType.BOOL;
            case "32":
                return DType.INT32;
            case "64":
                return DType.INT64;
            default:
                throw new IllegalStateException("no element width " + width);
        }
    }

    /** {@code {lowest, highest}} element offset addressed, or null when the shape is empty. */
    private static long[] span(long offset, long[] shape, long[] strides) {
        long lo = offset;
        long hi = offset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return null;
            }
            long s = (shape[d] - 1) * strides[d];
            if (s < 0) {
                lo += s;
            } else {
                hi += s;
            }
        }
        return new long[] {lo, hi};
    }

    // ---- bit-copy kernels ----

    private static void storeBits(Operand dst, long bits) {
        HostBuffer h = (HostBuffer) dst.buffer();
        forEach(dst.shape(), idx -> put(h, at(dst, idx), bits));
    }

    private static void where(Operand dst, Operand condition, Operand a, Operand b) {
        HostBuffer d = (HostBuffer) dst.buffer();
        HostBuffer c = (HostBuffer) condition.buffer();
        forEach(dst.shape(), idx -> {
            boolean pick = c.bools()[(int) at(condition, idx)] != 0;
            Operand from = pick ? a : b;
            put(d, at(dst, idx), get((HostBuffer) from.buffer(), at(from, idx)));
        });
    }

    // ---- reductions and products ----

    private static void reduce(CudaHeader h, Memory mem, DType dtype, int[] grid, int[] block, byte[][] p) {
        Map<String, long[]> r = h.decode("PtReduction", p[0]);
        ReduceOp op = ReduceOp.valueOf(h.constantName("PT_REDUCE_", int32(p[1])));
        int width = block[0];
        if (Integer.bitCount(width) != 1 || block[2] != 1 || (long) width * block[1] > h.number("PT_BLOCK")) {
            throw new IllegalStateException(
                    "a reduction block must be rows of a power-of-two width: " + Arrays.toString(block));
        }
        int outerRank = (int) r.get("outerRank")[0];
        int innerRank = (int) r.get("innerRank")[0];
        long[] outer = Arrays.copyOf(r.get("outerShape"), outerRank);
        long[] inner = Arrays.copyOf(r.get("innerShape"), innerRank);
        long outputs = product(outer);
        long count = r.get("inner")[0];
        if (outputs != r.get("outputs")[0] || (count != product(inner) && !(count == 0 && innerRank == 0))) {
            throw new IllegalStateException("inconsistent PtReduction " + Arrays.toString(outer) + " / "
                    + Arrays.toString(inner) + ": outputs " + r.get("outputs")[0] + ", inner " + count);
        }
        long[] srcShape = concat(outer, count == 0 ? new long[] {0} : inner);
        long[] srcStrides = concat(
                Arrays.copyOf(r.get("srcOuterStride"), outerRank),
                count == 0 ? new long[] {0} : Arrays.copyOf(r.get("srcInnerStride"), innerRank));
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        Operand dst = mem.operand(
                pointer(p[2]),
                arg ? DType.INT64 : dtype,
                r.get("dstOffset")[0],
                outer,
                Arrays.copyOf(r.get("dstStride"), outerRank));
        Operand src = mem.operand(pointer(p[3]), dtype, r.get("srcOffset")[0], srcShape, srcStrides);
        REFERENCE.reduce(op, dst, src);
    }

    private static void matmul(CudaHeader h, Memory mem, DType dtype, int[] grid, int[] block, byte[][] p) {
        Map<String, long[]> m = h.decode("PtMatmul", p[0]);
        boolean wide = dtype.byteSize() == 8;
        long bm = h.number(wide ? "PT_MM64_BM" : "PT_MM32_BM");
        long bn = h.number(wide ? "PT_MM64_BN" : "PT_MM32_BN");
        long batch = m.get("batch")[0];
        long rows = m.get("m")[0];
        long cols = m.get("n")[0];
        long k = m.get("k")[0];
        if (block[0] != h.number("PT_BLOCK") || block[1] != 1 || block[2] != 1) {
            throw new IllegalStateException("the product kernel needs blocks of exactly PT_BLOCK threads");
        }
        if (grid[2] != batch
                || (long) grid[1] * bm < rows
                || (long) (grid[1] - 1) * bm >= rows
                || (long) grid[0] * bn < cols
                || (long) (grid[0] - 1) * bn >= cols) {
            throw new IllegalStateException("grid " + Arrays.toString(grid) + " does not tile a " + batch + " x " + rows
                    + " x " + cols + " product in " + bm + " x " + bn + " tiles");
        }
        Operand c = mem.operand(pointer(p[1]), dtype, m.get("cOffset")[0], new long[] {batch, rows, cols}, new long[] {
            m.get("cBatch")[0], m.get("cRow")[0], m.get("cCol")[0]
        });
        Operand a = mem.operand(pointer(p[2]), dtype, m.get("aOffset")[0], new long[] {batch, rows, k}, new long[] {
            m.get("aBatch")[0], m.get("aRow")[0], m.get("aCol")[0]
        });
        Operand b = mem.operand(pointer(p[3]), dtype, m.get("bOffset")[0], new long[] {batch, k, cols}, new long[] {
            m.get("bBatch")[0], m.get("bRow")[0], m.get("bCol")[0]
        });
        REFERENCE.matmul(c, a, b);
    }

    // ---- element access ----

    private interface Visit {
        void at(long[] idx);
    }

    private static void forEach(long[] shape, Visit v) {
        if (product(shape) == 0) {
            return;
        }
        long[] idx = new long[shape.length];
        do {
            v.at(idx);
        } while (IterationSpace.next(idx, shape));
    }

    private static long at(Operand o, long[] idx) {
        long p = o.offset();
        for (int d = 0; d < idx.length; d++) {
            p += idx[d] * o.strides()[d];
        }
        return p;
    }

    private static long get(HostBuffer h, long p) {
        switch (h.dtype()) {
            case BOOL:
                return h.bools()[(int) p];
            case INT32:
                return h.ints()[(int) p];
            default:
                return h.longs()[(int) p];
        }
    }

    private static void put(HostBuffer h, long p, long bits) {
        switch (h.dtype()) {
            case BOOL:
                h.bools()[(int) p] = (byte) bits;
                break;
            case INT32:
                h.ints()[(int) p] = (int) bits;
                break;
            default:
                h.longs()[(int) p] = bits;
        }
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- device bytes <-> host buffers ----

    static HostBuffer toHost(byte[] bytes, DType dtype) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        HostBuffer h = HostBuffer.allocate(dtype, bytes.length / dtype.byteSize());
        switch (dtype) {
            case FLOAT32:
                b.asFloatBuffer().get(h.floats());
                break;
            case FLOAT64:
                b.asDoubleBuffer().get(h.doubles());
                break;
            case INT64:
                b.asLongBuffer().get(h.longs());
                break;
            case INT32:
                b.asIntBuffer().get(h.ints());
                break;
            default:
                b.get(h.bools());
        }
        return h;
    }

    static void fromHost(HostBuffer h, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (h.dtype()) {
            case FLOAT32:
                b.asFloatBuffer().put(h.floats());
                break;
            case FLOAT64:
                b.asDoubleBuffer().put(h.doubles());
                break;
            case INT64:
                b.asLongBuffer().put(h.longs());
                break;
            case INT32:
                b.asIntBuffer().put(h.ints());
                break;
            default:
                b.put(h.bools());
        }
    }
}
