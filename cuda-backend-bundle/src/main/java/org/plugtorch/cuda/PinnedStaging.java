package org.plugtorch.cuda;

import java.nio.Buffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Host transfers of one device through page-locked staging memory: the caller's elements are converted into a
 * pinned chunk, which the device then copies directly (and the other way round). Pinned chunks are costly to
 * allocate, so a few are kept for reuse; callers on several threads each take their own. Copies from pinned memory
 * are complete when the driver call returns, so a chunk can be refilled at once.
 *
 * <p>The caller makes the device's context current first.
 */
final class PinnedStaging {
    /** Bytes per pinned chunk. */
    static final int DEFAULT_CHUNK_BYTES = 8 << 20;

    private static final int KEEP = 2;

    private final CudaDriver driver;
    private final int chunkBytes;
    private final ConcurrentLinkedDeque<CudaDriver.PinnedMemory> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    PinnedStaging(CudaDriver driver, int chunkBytes) {
        this.driver = driver;
        this.chunkBytes = chunkBytes;
    }

    /** Copies {@code src.remaining()} elements into {@code dst} from element {@code dstOffset}. */
    void copyIn(CudaBuffer dst, long dstOffset, Buffer src) {
        int elementBytes = dst.dtype.byteSize();
        int perChunk = chunkBytes / elementBytes;
        long n = src.remaining();
        Buffer from = src.duplicate();
        CudaDriver.PinnedMemory stage = take();
        try {
            for (long done = 0; done < n; done += perChunk) {
                int count = (int) Math.min(perChunk, n - done);
                NioElements.put(stage.bytes(), from, count);
                driver.copyToDevice(dst.addressOf(dstOffset + done), stage, 0, (long) count * elementBytes);
                from.position(from.position() + count);
            }
        } finally {
            give(stage);
        }
    }

    /** Copies {@code dst.remaining()} elements of {@code src} from element {@code srcOffset} into {@code dst}. */
    void copyOut(CudaBuffer src, long srcOffset, Buffer dst) {
        int elementBytes = src.dtype.byteSize();
        int perChunk = chunkBytes / elementBytes;
        long n = dst.remaining();
        Buffer to = dst.duplicate();
        CudaDriver.PinnedMemory stage = take();
        try {
            for (long done = 0; done < n; done += perChunk) {
                int count = (int) Math.min(perChunk, n - done);
                driver.copyToHost(stage, 0, src.addressOf(srcOffset + done), (long) count * elementBytes);
                NioElements.get(stage.bytes(), to, count);
                to.position(to.position() + count);
            }
        } finally {
            give(stage);
        }
    }

    private CudaDriver.PinnedMemory take() {
        CudaDriver.PinnedMemory m = idle.pollFirst();
        if (m != null) {
            idleCount.decrementAndGet();
            return m;
        }
        return driver.allocatePinned(chunkBytes);
    }

    private void give(CudaDriver.PinnedMemory m) {
        if (idleCount.incrementAndGet() <= KEEP) {
            idle.addFirst(m);
        } else {
            idleCount.decrementAndGet();
            driver.freePinned(m);
        }
    }

    /** Frees the kept chunks; the device's context is current. */
    void close() {
        CudaDriver.PinnedMemory m;
        while ((m = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            driver.freePinned(m);
        }
    }
}
