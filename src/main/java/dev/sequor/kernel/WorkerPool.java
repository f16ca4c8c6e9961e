package dev.sequor.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's small persistent worker pool: kernels split their output into independent parts and
 * run them on the caller plus {@code parts - 1} long-lived daemon threads (never a new task or
 * thread per call, no allocation per call).
 *
 * <p>Parts never share an output element and each part computes its elements exactly as a
 * single-threaded run would, so results are bit-identical for any thread count. When the pool is
 * already in use (a second calling thread, or a call from inside a part), the parts simply run one
 * after another on the caller: same results, no deadlock.
 *
 * <p>Thread count: {@code -Dsequor.threads=N} (default: available processors), or {@link #setThreads}
 * from tests and benches. Idle workers spin briefly after a job (so back-to-back calls, e.g. the
 * steps of a recurrent layer, do not pay a wake-up each time) and then park.
 */
public final class WorkerPool {
  /** A reusable job: {@code run(part, parts)} computes part {@code part} of {@code parts}. */
  public interface Job {
    void run(int part, int parts);
  }

  /** How long an idle worker or a waiting caller spins before parking (a wake-up costs ~10-50 µs). */
  private static final long SPIN_NANOS = 200_000;
  private static final int MAX_THREADS = 256;

  private static volatile int threads = initialThreads();
  private static final AtomicBoolean busy = new AtomicBoolean();
  private static final AtomicInteger remaining = new AtomicInteger();
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
   * Runs {@code job.run(p, parts)} for every {@code p} in {@code [0, parts)}, part 0 on the calling
   * thread, and returns when all are done. An exception thrown by any part is rethrown here.
   */
  public static void run(Job job, int parts) {
    if (parts < 1) throw new IllegalArgumentException("parts must be >= 1, got " + parts);
    if (parts == 1 || Thread.currentThread() instanceof Worker || !busy.compareAndSet(false, true)) {
      for (int p = 0; p < parts; p++) job.run(p, parts);
      return;
    }
    try {
      Worker[] ws = ensureWorkers(parts - 1);
      failure = null;
      caller = Thread.currentThread();
      callerParked = false;
      remaining.set(parts - 1);
      for (int w = 0; w < parts - 1; w++) ws[w].post(job, w + 1, parts);
      try {
        job.run(0, parts);
      } catch (Throwable t) {
        failure = t;
      }
      awaitWorkers();
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

  private static void awaitWorkers() {
    long start = System.nanoTime();
    while (remaining.get() != 0) {
      if (System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        callerParked = true;
        if (remaining.get() != 0) LockSupport.park(WorkerPool.class);
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

  private static void partDone() {
    if (remaining.decrementAndGet() == 0 && callerParked) LockSupport.unpark(caller);
  }

  private static final class Worker extends Thread {
    private volatile long posted;
    private volatile boolean parked;
    private Job job;
    private int part, parts;

    Worker(String name) {
      super(name);
      setDaemon(true);
    }

    /** Hands this worker one part; the volatile write of {@code posted} publishes the fields. */
    void post(Job job, int part, int parts) {
      this.job = job;
      this.part = part;
      this.parts = parts;
      posted = posted + 1;
      if (parked) LockSupport.unpark(this);
    }

    @Override
    public void run() {
      long done = 0;
      while (true) {
        long start = System.nanoTime();
        while (posted == done) {
          if (System.nanoTime() - start < SPIN_NANOS) {
            Thread.onSpinWait();
          } else {
            parked = true;
            if (posted == done) LockSupport.park(this);
            parked = false;
          }
        }
        done++;
        Job j = job;
        job = null;
        try {
          j.run(part, parts);
        } catch (Throwable t) {
          failure = t;
        }
        partDone();
      }
    }
  }
}
