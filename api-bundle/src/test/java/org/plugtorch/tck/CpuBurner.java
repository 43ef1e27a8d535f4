package org.plugtorch.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A busy machine for stress tests: one thread per core that computes without pause, and allocates as it goes, so that
 * the collector runs and every thread of the process keeps meeting safepoints, as on a loaded server. Races that a
 * quiet machine hides (a handshake arriving while native code runs, a start-up that takes longer than usual) then
 * show. Use it instead of sleeps: {@code try (CpuBurner busy = CpuBurner.start()) { ... }}.
 *
 * <p>The threads are daemons, so a failed test cannot leave the JVM running; {@link #close} stops and joins them.
 */
public final class CpuBurner implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong rounds = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile double sink;

    private CpuBurner(int count) {
        for (int i = 0; i < count; i++) {
            int seed = i + 1;
            Thread t = new Thread(() -> burn(seed), "cpu-burner-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /** One burning thread per available processor. */
    public static CpuBurner start() {
        return start(Runtime.getRuntime().availableProcessors());
    }

    /** {@code threads} burning threads. */
    public static CpuBurner start(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a CPU burner needs at least one thread, got " + threads);
        }
        return new CpuBurner(threads);
    }

    /** The rounds of work done so far by all threads: proof that they ran. */
    public long rounds() {
        return rounds.get();
    }

    /** The number of burning threads. */
    public int threads() {
        return threads.size();
    }

    private void burn(int seed) {
        double x = seed;
        while (!stop.get()) {
            // a few microseconds of arithmetic the JIT cannot fold away, then some garbage for the collector
            double[] scratch = new double[256];
            for (int i = 0; i < scratch.length; i++) {
                x = x * 1.0000001 + Math.sqrt(i + x % 7);
                scratch[i] = x;
            }
            x = scratch[(int) (rounds.incrementAndGet() & 255)] % 1e6;
        }
        sink = x;
    }

    /** Stops every thread and waits for them (an interrupt while waiting is kept for the caller's thread). */
    @Override
    public void close() {
        stop.set(true);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (sink == Double.MIN_VALUE) {
            rounds.incrementAndGet(); // reads the sink, so the work is never dead code
        }
    }
}
