package org.plugtorch.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The buffers of one device that are allocated and not yet freed, and their bytes: what a departing backend must
 * evacuate, and what tests count to prove that freeing and moving release memory at once. Safe from any thread.
 */
final class Allocations {
    private final Set<CudaBuffer> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytes = new AtomicLong();
    private long releases; // guarded by this: how many buffers were ever removed, for awaitRelease

    void add(CudaBuffer b) {
        live.add(b);
        bytes.addAndGet(b.bytes());
    }

    void remove(CudaBuffer b) {
        if (live.remove(b)) {
            bytes.addAndGet(-b.bytes());
            synchronized (this) {
                releases++;
                notifyAll();
            }
        }
    }

    /** How many buffers have been removed so far. */
    synchronized long releases() {
        return releases;
    }

    /** Waits until more than {@code seen} buffers have been removed, or {@code millis} have passed. */
    synchronized void awaitRelease(long seen, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        try {
            while (releases <= seen) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A snapshot of the live buffers. */
    List<CudaBuffer> snapshot() {
        return new ArrayList<>(live);
    }

    int count() {
        return live.size();
    }

    long bytes() {
        return bytes.get();
    }
}
