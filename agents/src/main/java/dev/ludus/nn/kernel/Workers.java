package dev.ludus.nn.kernel;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Long-lived worker threads that run the blocks of one large product together with the caller.
 * Starting a thread costs more than a sub-millisecond GEMM, so workers are created once per thread
 * count and shared; they spin briefly for the next job (training loops issue products back to back)
 * and then park. Only one job runs at a time: a caller that finds the pool busy (another thread's
 * inference, say) runs all its blocks itself, which gives the same result since each block is
 * computed identically whoever computes it.
 *
 * <p>Between products the helpers also work through a {@link Background} job, piece by piece, if one is
 * offered (see {@code Network.prefetch}); its owner computes any piece no helper has claimed yet itself.
 */
public final class Workers {

    /** A job is a number of independent blocks; {@code run(block)} must only write that block's output. */
    public interface Job {
        void run(int block);
    }

    private static final ConcurrentHashMap<Integer, Workers> SHARED = new ConcurrentHashMap<>();
    private static final int SPIN_NANOS = 50_000;

    public static Workers shared(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return SHARED.computeIfAbsent(threads, Workers::new);
    }

    private final int threads;
    private final Thread[] helpers;
    private final ReentrantLock busy = new ReentrantLock();
    private volatile Task current;
    private volatile Background background;

    /**
     * Independent pieces {@code 0..count-1} that helpers run while no product is running and that the owner
     * awaits in order, claiming and running any piece no helper has started.
     */
    public static final class Background {
        private final int count;
        private final IntConsumer work;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicIntegerArray done;
        private volatile Throwable failure;

        public Background(int count, IntConsumer work) {
            this.count = count;
            this.work = work;
            this.done = new AtomicIntegerArray(count);
        }

        /** Claims and runs the next piece; false when none is left. */
        boolean runOne() {
            int p = next.getAndIncrement();
            if (p >= count) {
                return false;
            }
            try {
                work.accept(p);
            } catch (Throwable t) {
                failure = t;
            } finally {
                done.set(p, 1);
            }
            return true;
        }

        /** Returns once piece {@code piece} is done, running unclaimed pieces up to it on this thread. */
        public void await(int piece) {
            long spinUntil = System.nanoTime() + 20_000;
            while (done.get(piece) == 0) {
                if (next.get() <= piece) {
                    runOne();
                } else if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            rethrow(failure);
        }

        /** Stops handing out pieces and waits for those already started. */
        public void finish() {
            int claimed = Math.min(count, next.getAndSet(count));
            for (int p = 0; p < claimed; p++) {
                while (done.get(p) == 0) {
                    Thread.onSpinWait();
                }
            }
        }
    }

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

    public int threads() {
        return threads;
    }

    /** Runs blocks {@code 0..blockCount-1}, on all threads when the pool is free. */
    public void run(int blockCount, Job work) {
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
            rethrow(task.failure);
        } finally {
            busy.unlock();
        }
    }

    private static void rethrow(Throwable f) {
        if (f != null) {
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
    }

    /** Lets the helpers work on {@code job} between products until {@link #withdraw}; with no helpers, a no-op. */
    public void offer(Background job) {
        if (helpers.length == 0) {
            return;
        }
        background = job;
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
    }

    public void withdraw(Background job) {
        if (background == job) {
            background = null;
        }
    }

    private void helperLoop() {
        Task seen = null;
        while (true) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            Task task;
            while ((task = current) == seen) {
                Background job = background;
                if (job != null && job.runOne()) {
                    deadline = System.nanoTime() + SPIN_NANOS;
                    continue;
                }
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
