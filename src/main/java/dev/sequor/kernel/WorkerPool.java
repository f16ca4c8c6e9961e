package dev.sequor.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's small persistent worker pool: kernels split their output into independent parts and
 * the caller plus {@code threads() - 1} long-lived daemon workers claim the parts one at a time (no
 * new task or thread per call, no allocation per call).
 *
 * <p>Parts never share an output element and a part computes its elements exactly as a
 * single-threaded run would, so results are bit-identical for any thread count and whichever thread
 * runs which part. Claiming parts dynamically (rather than giving each thread a fixed share) keeps a
 * call close to single-threaded speed when a worker is not scheduled promptly, e.g. on a machine
 * shared with other jobs: the caller simply takes the remaining parts itself. When the pool is
 * already in use (a second calling thread, or a call from inside a part), the parts run one after
 * another on the caller: same results, no deadlock.
 *
 * <p>Thread count: {@code -Dsequor.threads=N} (default: available processors), or {@link #setThreads}
 * from tests and benches. An idle worker spins for a short while after a job (back-to-back calls,
 * e.g. the steps of a recurrent layer, then need no wake-up), yielding the CPU to other threads, and
 * then parks.
 */
public final class WorkerPool {
  /** A reusable job: {@code run(part, parts)} computes part {@code part} of {@code parts}. */
  public interface Job {
    void run(int part, int parts);
  }

  /** Pure busy-wait before yielding: covers the typical wait inside one call. */
  private static final long SPIN_NANOS = 20_000;
  /** Busy-wait with yields before parking: covers the gap between back-to-back calls. */
  private static final long YIELD_NANOS = 200_000;
  private static final int MAX_THREADS = 256;

  private static volatile int threads = initialThreads();
  private static final AtomicBoolean busy = new AtomicBoolean();
  /** Most parts one call may have (they share a 16-bit field of the ticket). */
  public static final int MAX_PARTS = 0xFFFF;

  /**
   * The claim ticket: generation (bits 63-32) | parts (31-16) | next unclaimed part (15-0). One atomic
   * value, so a thread that claims a part also learns, consistently, which call it belongs to.
   */
  private static final AtomicLong ticket = new AtomicLong();
  private static final AtomicInteger completed = new AtomicInteger();
  /**
   * The current job. Written before the ticket is set; a thread reads it only after claiming a part
   * of the current generation, and the caller cannot move on while that part is unfinished.
   */
  private static Job job;
  private static volatile int generation;
  private static volatile Thread caller;
  private static volatile boolean callerParked;
  private static volatile Throwable failure;
  private static Worker[] workers = new Worker[0];

  private WorkerPool() {}

  private static int initialThreads() {
    int n = Integer.getInteger("sequor.threads", Runtime.getRuntime().availableProcessors());
    return Math.max(1, Math.min(MAX_THREADS, n));
  }

  /** The number of threads (caller included) kernels split their work over. */
  public static int threads() { return threads; }

  /** Sets the number of threads (caller included) later kernel calls use; 1 runs everything on the caller. */
  public static void setThreads(int n) {
    if (n < 1 || n > MAX_THREADS)
      throw new IllegalArgumentException("threads must be in [1, " + MAX_THREADS + "], got " + n);
    threads = n;
  }

  /**
   * Runs {@code job.run(p, parts)} for every {@code p} in {@code [0, parts)} on the caller and up to
   * {@code threads() - 1} workers, and returns when all are done. An exception thrown by any part is
   * rethrown here (the other parts still run).
   */
  public static void run(Job job, int parts) {
    if (parts < 1 || parts > MAX_PARTS)
      throw new IllegalArgumentException("parts must be in [1, " + MAX_PARTS + "], got " + parts);
    int helpers = Math.min(threads, parts) - 1;
    if (helpers == 0 || Thread.currentThread() instanceof Worker || !busy.compareAndSet(false, true)) {
      for (int p = 0; p < parts; p++) job.run(p, parts);
      return;
    }
    try {
      Worker[] ws = ensureWorkers(helpers);
      failure = null;
      caller = Thread.currentThread();
      callerParked = false;
      completed.set(0);
      WorkerPool.job = job;
      int g = generation + 1;
      ticket.set(((long) g << 32) | ((long) parts << 16));
      generation = g;
      for (int w = 0; w < helpers; w++) ws[w].wake();
      work(g);
      awaitCompletion(parts);
      WorkerPool.job = null;
      Throwable t = failure;
      failure = null;
      if (t instanceof RuntimeException e) throw e;
      if (t instanceof Error e) throw e;
      if (t != null) throw new IllegalStateException(t);
    } finally {
      caller = null;
      busy.set(false);
    }
  }

  /** Claims and runs parts of generation {@code g} until none is left. */
  private static void work(int g) {
    while (true) {
      long t = ticket.get();
      int parts = (int) (t >>> 16) & 0xFFFF, part = (int) t & 0xFFFF;
      if ((int) (t >>> 32) != g || part >= parts) return;
      if (!ticket.compareAndSet(t, t + 1)) continue;
      try {
        job.run(part, parts);
      } catch (Throwable e) {
        failure = e;
      }
      if (completed.incrementAndGet() == parts && callerParked) LockSupport.unpark(caller);
    }
  }

  private static void awaitCompletion(int parts) {
    long start = System.nanoTime();
    while (completed.get() != parts) {
      long waited = System.nanoTime() - start;
      if (waited < SPIN_NANOS) {
        Thread.onSpinWait();
      } else if (waited < YIELD_NANOS) {
        Thread.yield();
      } else {
        callerParked = true;
        if (completed.get() != parts) LockSupport.park(WorkerPool.class);
        callerParked = false;
      }
    }
  }

  private static synchronized Worker[] ensureWorkers(int n) {
    if (workers.length < n) {
      Worker[] grown = java.util.Arrays.copyOf(workers, n);
      for (int i = workers.length; i < n; i++) {
        grown[i] = new Worker("sequor-worker-" + (i + 1));
        grown[i].start();
      }
      workers = grown;
    }
    return workers;
  }

  private static final class Worker extends Thread {
    private volatile boolean parked;

    Worker(String name) {
      super(name);
      setDaemon(true);
    }

    void wake() {
      if (parked) LockSupport.unpark(this);
    }

    @Override
    public void run() {
      int seen = generation;
      while (true) {
        long start = System.nanoTime();
        int g;
        while ((g = generation) == seen) {
          long waited = System.nanoTime() - start;
          if (waited < SPIN_NANOS) {
            Thread.onSpinWait();
          } else if (waited < YIELD_NANOS) {
            Thread.yield();
          } else {
            parked = true;
            if (generation == seen) LockSupport.park(this);
            parked = false;
            start = System.nanoTime();
          }
        }
        seen = g;
        work(g); // claims nothing if the caller has already finished generation g

      }
    }
  }
}
