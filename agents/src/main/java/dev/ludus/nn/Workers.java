package dev.ludus.nn;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Long-lived worker threads that run the blocks of one large product together with the caller.
 * Starting a thread costs more than a sub-millisecond GEMM, so workers are created once per thread
 * count and shared; they spin briefly for the next job (training loops issue products back to back)
 * and then park. Only one job runs at a time: a caller that finds the pool busy (another thread's
 * inference, say) runs all its blocks itself, which gives the same result since each block is
 * computed identically whoever computes it.
 */
final class Workers {

    /** A job is a number of independent blocks; {@code run(block)} must only write that block's output. */
    interface Job {
        void run(int block);
    }

    private static final ConcurrentHashMap<Integer, Workers> SHARED = new ConcurrentHashMap<>();
    private static final int SPIN_NANOS = 50_000;

    static Workers shared(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return SHARED.computeIfAbsent(threads, Workers::new);
    }

    private final int threads;
    private final Thread[] helpers;
    private final ReentrantLock busy = new ReentrantLock();
    private volatile Task current;

    /** One run's shared state; a fresh object per run so a late helper can never claim another run's blocks. */
    private static final class Task {
        final Job work;
        final int count;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger pending;
        volatile Throwable failure;

        Task(Job work, int count) {
            this.work = work;
            this.count = count;
            this.pending = new AtomicInteger(count);
        }

        void drain() {
            int b;
            while ((b = next.getAndIncrement()) < count) {
                try {
                    work.run(b);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    pending.decrementAndGet();
                }
            }
        }
    }

    private Workers(int threads) {
        this.threads = threads;
        this.helpers = new Thread[threads - 1];
        for (int i = 0; i < helpers.length; i++) {
            Thread t = new Thread(this::helperLoop, "ludus-nn-worker-" + threads + "-" + i);
            t.setDaemon(true);
            helpers[i] = t;
            t.start();
        }
    }

    int threads() {
        return threads;
    }

    /** Runs blocks {@code 0..blockCount-1}, on all threads when the pool is free. */
    void run(int blockCount, Job work) {
        if (blockCount <= 0) {
            return;
        }
        if (threads == 1 || blockCount == 1 || !busy.tryLock()) {
            for (int b = 0; b < blockCount; b++) {
                work.run(b);
            }
            return;
        }
        try {
            Task task = new Task(work, blockCount);
            current = task;
            for (Thread t : helpers) {
                LockSupport.unpark(t);
            }
            task.drain();
            // Blocks are short: spin, but yield once it takes long (a descheduled helper on a busy machine
            // needs the core we would be spinning on).
            long spinUntil = System.nanoTime() + 20_000;
            while (task.pending.get() > 0) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            Throwable f = task.failure;
            if (f != null) {
                if (f instanceof RuntimeException re) {
                    throw re;
                }
                if (f instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(f);
            }
        } finally {
            busy.unlock();
        }
    }

    private void helperLoop() {
        Task seen = null;
        while (true) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            Task task;
            while ((task = current) == seen) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = task;
            task.drain();
        }
    }
}
