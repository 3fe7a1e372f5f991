package dev.ludus.agents.offpolicy;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs two independent pieces of work at once, one on the calling thread and one on a long-lived helper thread
 * (starting a thread costs more than one critic's sub-millisecond forward pass). Helpers are kept in a pool and
 * lent out per call, so agents training at the same time never share one; an idle helper spins briefly for the
 * next piece (an update issues them back to back) and then parks. The result is the same as running both pieces
 * one after the other: each writes only its own buffers.
 */
final class SideBySide {

    private static final long SPIN_NANOS = 50_000;
    private static final ConcurrentLinkedQueue<Helper> IDLE = new ConcurrentLinkedQueue<>();

    private SideBySide() {
    }

    /** Runs {@code here} on this thread and {@code there} on a helper; returns when both are done. */
    static void run(Runnable here, Runnable there) {
        Helper helper = IDLE.poll();
        if (helper == null) {
            helper = new Helper();
        }
        try {
            helper.start(there);
            Throwable mine = null;
            try {
                here.run();
            } catch (Throwable t) {
                mine = t;
            }
            Throwable theirs = helper.await();
            if (mine != null) {
                rethrow(mine);
            }
            if (theirs != null) {
                rethrow(theirs);
            }
        } finally {
            IDLE.offer(helper);
        }
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    private static final class Helper implements Runnable {
        private final Thread thread;
        private volatile Runnable task;
        private volatile boolean finished = true;
        private volatile Throwable failure;
        private volatile Thread waiter;

        Helper() {
            thread = new Thread(this, "ludus-side-by-side");
            thread.setDaemon(true);
            thread.start();
        }

        void start(Runnable work) {
            failure = null;
            finished = false;
            waiter = Thread.currentThread();
            task = work;
            LockSupport.unpark(thread);
        }

        /** Spins briefly (the two pieces usually end close together), then parks until the helper is done. */
        Throwable await() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (!finished) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 100_000);
                }
            }
            return failure;
        }

        @Override
        public void run() {
            while (true) {
                Runnable work = task;
                if (work == null) {
                    long spinUntil = System.nanoTime() + SPIN_NANOS;
                    while ((work = task) == null && System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    }
                    if (work == null) {
                        LockSupport.park(this);
                        continue;
                    }
                }
                task = null;
                try {
                    work.run();
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    finished = true;
                    LockSupport.unpark(waiter);
                }
            }
        }
    }
}
