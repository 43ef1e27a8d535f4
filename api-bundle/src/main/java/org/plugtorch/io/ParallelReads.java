package org.plugtorch.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.plugtorch.Tensor;

/**
 * Reads the tensors of one load on the calling thread and the common pool's threads together. A load into new host
 * tensors is bound by memory, not by the disk (the first write to fresh memory, then the copy from the page cache),
 * and one thread does not saturate memory here: two split the time by about a third. Each reader allocates the
 * tensors it fills, so their zeroing is shared out too.
 *
 * <p>The caller claims reads from the same counter as the helpers, so a busy pool only means the caller does more
 * of them itself; it waits only for reads a helper has already begun. Validation is done before: a read can fail
 * only when the file changes under the mapping, and then the first failure is thrown once every read begun ends.
 */
final class ParallelReads {
    /** Less than this in all is read by the caller alone: handing reads out costs more than it saves. */
    static final long PARALLEL_BYTES = 8L << 20;

    /** One tensor to read. */
    interface Read {
        Tensor run() throws IOException;
    }

    private ParallelReads() {}

    /** The tensors {@code reads} give, in their order; {@code bytes} is roughly how much they copy in all. */
    static Tensor[] run(List<Read> reads, long bytes) throws IOException {
        int n = reads.size();
        Tensor[] out = new Tensor[n];
        int helpers = Math.min(
                        n,
                        Math.min(
                                ForkJoinPool.getCommonPoolParallelism(),
                                Runtime.getRuntime().availableProcessors()))
                - 1;
        if (bytes < PARALLEL_BYTES || helpers < 1) {
            for (int i = 0; i < n; i++) {
                out[i] = reads.get(i).run();
            }
            return out;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < n; ) {
                try {
                    if (failure.get() == null) {
                        out[i] = reads.get(i).run();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }
        };
        for (int h = 0; h < helpers; h++) {
            try {
                ForkJoinPool.commonPool().execute(worker);
            } catch (RejectedExecutionException busy) {
                break; // the caller reads the rest
            }
        }
        worker.run();
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // a helper is mid-read into a tensor we return: wait for it all the same
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof IOException) {
            throw (IOException) t;
        }
        if (t instanceof UncheckedIOException) {
            throw ((UncheckedIOException) t).getCause();
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return out;
    }
}
