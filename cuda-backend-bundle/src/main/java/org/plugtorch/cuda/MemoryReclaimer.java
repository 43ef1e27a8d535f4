package org.plugtorch.cuda;

/**
 * What an allocation that ran out of device memory tries once before it fails: device buffers whose tensors are
 * unreachable are freed by the API's Cleaner only after a garbage collection, and the Java heap knows nothing of
 * device memory, so a collection is requested and the Cleaner given a moment to free them.
 */
interface MemoryReclaimer {
    /** Tries to get buffers of {@code allocations} freed; returns when some were, or after a short wait. */
    void reclaim(Allocations allocations);

    /** Requests a garbage collection and waits up to {@code millis} for the Cleaner to free some buffer. */
    static MemoryReclaimer garbageCollection(long millis) {
        return allocations -> {
            long before = allocations.releases();
            System.gc();
            allocations.awaitRelease(before, millis);
        };
    }
}
