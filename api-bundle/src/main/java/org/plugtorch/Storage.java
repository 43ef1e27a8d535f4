package org.plugtorch;

import java.lang.ref.Cleaner;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.Backends;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.HostBuffer;

/**
 * The memory behind one or more tensors (a tensor and its views share one storage). The buffer inside can be
 * replaced, which is how a storage is re-homed to another device without any tensor object changing: every view
 * follows at once.
 *
 * <p>Device memory is freed when it is replaced, or by a {@link Cleaner} once no tensor can reach the storage.
 * Host memory is an ordinary Java array and needs neither.
 */
final class Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    /** What the cleaner frees: kept apart from the storage so that it does not keep the storage reachable. */
    private static final class Allocation implements Runnable {
        volatile DeviceBuffer buffer;
        volatile Backend owner;

        @Override
        public synchronized void run() {
            DeviceBuffer b = buffer;
            Backend o = owner;
            buffer = null;
            owner = null;
            if (b != null && o != null) {
                o.free(b);
            }
        }
    }

    private final Allocation allocation = new Allocation();
    private boolean cleanerRegistered;

    /** @param owner the backend that allocated {@code buffer}; null for host memory, which the GC frees */
    Storage(DeviceBuffer buffer, Backend owner) {
        hold(buffer, owner);
    }

    private synchronized void hold(DeviceBuffer buffer, Backend owner) {
        allocation.buffer = buffer;
        allocation.owner = buffer instanceof HostBuffer ? null : owner;
        if (allocation.owner != null && !cleanerRegistered) {
            CLEANER.register(this, allocation);
            cleanerRegistered = true;
        }
    }

    /**
     * Re-homes this storage on {@code target}: copies its contents into a new allocation there, swaps it in, and frees
     * the old one. Every tensor on this storage (every view) is on {@code target} afterwards, and no tensor object
     * changes. A failure (no such device, out of memory) leaves the storage where it was.
     */
    synchronized void moveTo(Device target) {
        DeviceBuffer old = allocation.buffer;
        if (old.device().equals(target)) {
            return;
        }
        Backend newOwner = target.isCpu() ? null : Backends.forDevice(target);
        DeviceBuffer fresh = newOwner == null ? HostBuffer.allocate(old.dtype(), old.size())
                : newOwner.allocate(target, old.dtype(), old.size());
        try {
            Ops.transfer(old, 0, fresh, 0, old.size());
        } catch (RuntimeException e) {
            if (newOwner != null) {
                newOwner.free(fresh);
            }
            throw e;
        }
        Backend oldOwner = allocation.owner;
        hold(fresh, newOwner);
        if (oldOwner != null) {
            oldOwner.free(old);
        }
    }

    static Storage host(HostBuffer buffer) {
        return new Storage(buffer, null);
    }

    DeviceBuffer buffer() {
        return allocation.buffer;
    }

    Device device() {
        return allocation.buffer.device();
    }

    DType dtype() {
        return allocation.buffer.dtype();
    }

    long size() {
        return allocation.buffer.size();
    }
}
