package org.plugtorch.cpu;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The backend's only shared state: a pool of helper threads that split large kernels with the calling thread.
 *
 * <p>The caller always works too, claiming chunks from the same counter as the helpers, so a call never waits for
 * a helper that has not started (a busy pool, several callers at once): it simply does more chunks itself. With
 * {@code threads} workers in all, the pool holds {@code threads - 1} helpers, so two cores are not oversubscribed by
 * one call.
 */
final class CpuThreads implements AutoCloseable {
    private final int threads;
    private final ThreadPoolExecutor helpers;

    CpuThreads(int threads) {
        checkArgument(threads >= 1, () -> "the cpu backend needs at least 1 thread, got " + threads);
        this.threads = threads;
        this.helpers = threads == 1
                ? null
                : new ThreadPoolExecutor(
                        threads - 1, threads - 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads());
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "plugtorch-cpu-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The number of threads a kernel may use, the caller included. */
    int size() {
        return threads;
    }

    /** Runs {@code body} for chunks {@code 0..chunks-1}, on the calling thread and the helpers, until all are done. */
    void parallelFor(int chunks, IntConsumer body) {
        if (chunks <= 0) {
            return;
        }
        int wanted = Math.min(chunks, threads) - 1;
        if (wanted == 0 || helpers == null || helpers.isShutdown()) {
            for (int c = 0; c < chunks; c++) {
                body.accept(c);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(chunks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    if (failure.get() == null) {
                        body.accept(c);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }
        };
        for (int h = 0; h < wanted; h++) {
            try {
                helpers.execute(worker);
            } catch (RejectedExecutionException closed) {
                break; // the backend is being deactivated: the caller does the rest alone
            }
        }
        worker.run();
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // a helper is mid-chunk on our output; returning early would race with it
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
    }

    /** Stops the helpers; later calls run on their caller's thread alone. */
    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdown();
        }
    }
}
