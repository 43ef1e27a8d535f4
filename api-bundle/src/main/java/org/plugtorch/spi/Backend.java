package org.plugtorch.spi;

import java.nio.Buffer;
import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;
import org.plugtorch.DType;
import org.plugtorch.Device;

/**
 * What a device backend implements: an allocator (allocate, free, copy in, copy out, optionally copy between its
 * own buffers) and a kernel runner for a small, fixed op set. Everything else (shapes, broadcasting, type
 * promotion, views, device checks, moves between backends, printing, modules) lives above this interface and is
 * shared by every backend.
 *
 * <p><b>What the runtime guarantees a backend.</b> Every buffer it passes was allocated by this backend and is not
 * freed; operands of one call are on one device; element-wise operands have one shape; dtypes follow the rules of
 * {@link UnaryOp}, {@link BinaryOp} and {@link ReduceOp}; an output operand does not overlap itself. Inputs may
 * alias the output exactly (in-place ops) and may be broadcast (stride 0) or strided arbitrarily.
 *
 * <p><b>What a backend guarantees the runtime.</b> A call returns when its result is visible to the next call on
 * any thread; calls may come from several threads at once; an op it cannot run on its device throws (an
 * {@link IllegalStateException} naming the device and the reason): it never computes somewhere else and says
 * nothing. The backend test kit (TCK, in api-bundle's test-jar) checks all of this against a reference.
 *
 * <p>The SPI is versioned with its package: adding an op is a minor version, which every backend must implement.
 */
@ProviderType
public interface Backend {

    /** The device type served: {@code cpu}, {@code cuda}, {@code opencl}. */
    String deviceType();

    /** The devices this backend serves now; empty when it is unavailable. */
    List<DeviceInfo> devices();

    /**
     * Why this backend cannot serve its devices (no driver, no platform), in one line; {@code null} when it can.
     * An unavailable backend still registers, so that users can see the reason.
     */
    default String unavailableReason() {
        return null;
    }

    /** The dtypes this backend stores and computes. */
    Set<DType> dtypes();

    // ---- allocator ----

    /** Allocates {@code size} elements, zero-filled. Out of memory is an exception naming the device and the request. */
    DeviceBuffer allocate(Device device, DType dtype, long size);

    /** Releases a buffer now. Each buffer is freed at most once; a freed buffer is never used again. */
    void free(DeviceBuffer buffer);

    /**
     * Copies {@code src.remaining()} elements from host memory into {@code dst} at element {@code dstOffset}.
     * {@code src} is the NIO type of the dtype ({@link HostBuffer#nioType}); it may be a heap or a direct buffer
     * (a memory-mapped file, for instance), and its position is left unchanged.
     */
    void copyIn(DeviceBuffer dst, long dstOffset, Buffer src);

    /** Copies {@code dst.remaining()} elements from {@code src} at element {@code srcOffset} into host memory. */
    void copyOut(DeviceBuffer src, long srcOffset, Buffer dst);

    /**
     * A new host buffer holding {@code count} elements of {@code src} from element {@code srcOffset}: how the runtime
     * moves a tensor to the host and evacuates a leaving backend's storages. The default allocates and calls
     * {@link #copyOut}, which writes every element twice (the JVM zero-fills a new array); a backend whose device
     * memory the host can read in place may build the array in one copy instead ({@code Arrays.copyOfRange}).
     */
    default HostBuffer copyOutNew(DeviceBuffer src, long srcOffset, long count) {
        HostBuffer out = HostBuffer.allocate(src.dtype(), count);
        if (count > 0) {
            copyOut(src, srcOffset, out.nio(0, count));
        }
        return out;
    }

    /**
     * Copies {@code count} elements between two buffers of this backend (possibly on two of its devices) without
     * going through the host, and returns true; or returns false when it cannot, and the runtime stages the copy
     * through host memory.
     */
    default boolean copyBetween(DeviceBuffer dst, long dstOffset, DeviceBuffer src, long srcOffset, long count) {
        return false;
    }

    // ---- kernels ----

    /** {@code dst = src} element-wise, converting dtype (float to integer truncates toward zero; to bool is {@code != 0}). */
    void copy(Operand dst, Operand src);

    /** Sets every element of {@code dst} to {@code value}, converted to dst's dtype. */
    void fill(Operand dst, Number value);

    void unary(UnaryOp op, Operand dst, Operand src);

    void binary(BinaryOp op, Operand dst, Operand a, Operand b);

    /** {@code dst = condition ? a : b}; condition is bool, a, b and dst share one dtype. */
    void where(Operand dst, Operand condition, Operand a, Operand b);

    /**
     * {@code dst = a + alpha * b} over float32 or float64 operands of one shape and dtype, rounded exactly as
     * {@link BinaryOp#MUL} by {@code alpha} (itself first rounded to the dtype) followed by {@link BinaryOp#ADD}: the
     * product rounds before the sum, no fused multiply-add. Returns true when done, or false, having done nothing,
     * when this backend does not provide the fused pass (the default) or not for these operands: the runtime then
     * runs the two ops. It is an optimizer's update ({@code p.add_(grad, alpha=-lr)}) in one pass over memory
     * instead of a scaled copy and an add.
     */
    default boolean addScaled(Operand dst, Operand a, Operand b, double alpha) {
        return false;
    }

    /** See {@link ReduceOp}: reduces the trailing {@code src.rank() - dst.rank()} dimensions of src. */
    void reduce(ReduceOp op, Operand dst, Operand src);

    /**
     * Batched matrix multiply: {@code dst[b] = a[b] @ b[b]} with {@code a} of shape {@code [B, M, K]}, {@code b} of
     * shape {@code [B, K, N]} and {@code dst} of shape {@code [B, M, N]}, all of one dtype. Strides are arbitrary
     * (a transposed weight is a strided view, and a broadcast batch has stride 0); K may be 0.
     */
    void matmul(Operand dst, Operand a, Operand b);
}
