package org.plugtorch.internal.runtime;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.plugtorch.spi.Backend;

/** Every storage that lives in device memory, held weakly, so that a backend leaving can find all of its own. */
final class LiveStorages {
    private static final ConcurrentHashMap<Long, WeakReference<Storage>> LIVE = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static final int PURGE_EVERY = 1024;

    private LiveStorages() {}

    static void add(Storage s) {
        long id = IDS.incrementAndGet();
        LIVE.put(id, new WeakReference<>(s));
        if (id % PURGE_EVERY == 0) {
            LIVE.values().removeIf(r -> r.get() == null || r.get().owner() == null);
        }
    }

    /** The reachable storages whose device memory {@code backend} allocated. */
    static List<Storage> ownedBy(Backend backend) {
        Set<Storage> out = Collections.newSetFromMap(new IdentityHashMap<>());
        LIVE.values().removeIf(r -> {
            Storage s = r.get();
            if (s == null || s.owner() == null) {
                return true;
            }
            if (s.owner() == backend) {
                out.add(s);
            }
            return false;
        });
        return new ArrayList<>(out);
    }
}
