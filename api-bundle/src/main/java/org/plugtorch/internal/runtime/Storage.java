package org.plugtorch.internal.runtime;

import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.HostBuffer;

/**
 * The memory behind one or more tensors (a tensor and its views share one storage). The buffer inside can be
 * replaced, which is how a storage is re-homed to another device without any tensor object changing: every view
 * follows at once. That is what evacuation does when a backend leaves: see {@link Evacuation}.
 *
 * <p>Device memory is freed when it is replaced, or by a {@link Cleaner} once no tensor can reach the storage.
 * Host memory is an ordinary Java array and needs neither. Storages on a device are tracked weakly (so that a leaving
 * backend's can be found), and so are the tensor objects on them (so that an evacuation can say which tensors moved).
 */
public final class Storage {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong SERIALS = new AtomicLong();

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
    /**
     * The storage's place in creation order, across threads: a storage numbered at or after {@link #nextSerial()}
     * read at some moment was made after that moment (the backward pass uses it to recognise the gradients it made).
     */
    public final long serial = SERIALS.getAndIncrement();
    /**
     * How many in-place modifications the storage has seen (PyTorch's version counter, shared by every view): a
     * tensor saved for a backward pass compares it to detect a change since. Moves and evacuation keep it.
     */
    public int version;

    private boolean cleanerRegistered;
    /** Tensor objects over this storage while it is on a device; cleared references are dropped as it grows. */
    private List<WeakReference<Tensor>> tensors;

    /** @param owner the backend that allocated {@code buffer}; null for host memory, which the GC frees */
    public Storage(DeviceBuffer buffer, Backend owner) {
        hold(buffer, owner);
    }

    /** The serial the next storage will get. */
    public static long nextSerial() {
        return SERIALS.get();
    }

    public static Storage host(HostBuffer buffer) {
        return new Storage(buffer, null);
    }

    private synchronized void hold(DeviceBuffer buffer, Backend owner) {
        allocation.buffer = buffer;
        allocation.owner = buffer instanceof HostBuffer ? null : owner;
        if (allocation.owner != null) {
            if (!cleanerRegistered) {
                CLEANER.register(this, allocation);
                cleanerRegistered = true;
            }
            LiveStorages.add(this);
        }
    }

    public DeviceBuffer buffer() {
        return allocation.buffer;
    }

    /** The backend that allocated the buffer; null for host memory. */
    public Backend owner() {
        return allocation.owner;
    }

    public Device device() {
        return allocation.buffer.device();
    }

    public DType dtype() {
        return allocation.buffer.dtype();
    }

    public long size() {
        return allocation.buffer.size();
    }

    /** Notes a tensor object over this storage, when the storage is device memory (host storage never moves). */
    public void track(Tensor t) {
        if (allocation.owner == null) {
            return;
        }
        synchronized (this) {
            if (tensors == null) {
                tensors = new ArrayList<>(2);
            } else if (tensors.size() >= 16 && Integer.bitCount(tensors.size()) == 1) {
                tensors.removeIf(r -> r.get() == null);
            }
            tensors.add(new WeakReference<>(t));
        }
    }

    /** The tensor objects over this storage that are still reachable. */
    synchronized List<Tensor> tensors() {
        List<Tensor> out = new ArrayList<>();
        if (tensors != null) {
            for (WeakReference<Tensor> r : tensors) {
                Tensor t = r.get();
                if (t != null && Tensors.impl(t).storage == this) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /**
     * Re-homes this storage on {@code target}: copies its contents into a new allocation there, swaps it in, and frees
     * the old one. Every tensor on this storage (every view) is on {@code target} afterwards, and no tensor object
     * changes. A failure (no such device, out of memory) leaves the storage where it was.
     */
    public synchronized void moveTo(Device target) {
        DeviceBuffer old = allocation.buffer;
        if (old.device().equals(target)) {
            return;
        }
        Backend newOwner = target.isCpu() ? null : Registry.forDevice(target);
        DeviceBuffer fresh = newOwner == null
                ? HostBuffer.allocate(old.dtype(), old.size())
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

    /**
     * Copies this storage to host memory and swaps it in, reading it through {@code owner} (the backend that is
     * leaving, and so no longer resolvable by device).
     */
    synchronized void evacuateFrom(Backend owner) {
        DeviceBuffer old = allocation.buffer;
        HostBuffer fresh = owner.copyOutNew(old, 0, old.size());
        hold(fresh, null);
        owner.free(old);
        tensors = null;
    }
}
