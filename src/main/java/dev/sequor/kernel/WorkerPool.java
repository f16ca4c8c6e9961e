package dev.sequor.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's small persistent worker pool: kernels split their output into independent parts, run
 * by the caller and up to {@code threads() - 1} long-lived daemon workers (no new task or thread per
 * call, no allocation per call).
 *
 * <p>Parts never share an output element and a part computes its elements exactly as a
 * single-threaded run would, so results are bit-identical for any thread count and whichever thread
 * runs which part.
 *
 * <p>Two ways of handing out parts:
 * <ul>
 *   <li>At most one part per thread (the batch-1 steps of a recurrent layer, GEMV): part 0 is the
 *       caller's, part w is worker w's "home" part. The same thread runs the same part call after
 *       call, so each core keeps its share of the weights in its own cache, and a worker starts its
 *       part after reading one published word. A home part whose worker has not claimed it shortly
 *       after the caller is done with its own (at most 0.3 µs later) is taken over
 *       by the caller (on a machine shared with other jobs a worker is not always scheduled promptly):
 *       a call is then hardly slower than single-threaded, never waiting long for a worker that has
 *       not started. While workers keep failing to
 *       keep up (not spinning when a call comes, or preempted in the middle of a part), the caller
 *       runs such calls alone for a while (doubling periods; see {@code soloUntil}), so that on a
 *       loaded machine two threads are not slower than one.
 *   <li>More parts than threads (GEMMs): every thread claims parts one at a time from a shared
 *       ticket, so the parts of a late worker are simply taken by the others.
 * </ul>
 * When the pool is already in use (a second calling thread, or a call from inside a part), the parts
 * run one after another on the caller: same results, no deadlock.
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
  /** Spin iterations between clock reads (a clock read costs more than a spin-loop hint). */
  private static final int SPINS_PER_CLOCK = 32;
  private static final int MAX_THREADS = 256;
  /** Solo periods of home-part calls (see soloUntil): first and longest. */
  private static final long SOLO_MIN_NANOS = 500_000, SOLO_MAX_NANOS = 32_000_000;
  /** How long after a solo period late calls are forgiven (wake-up latency of a parked worker). */
  private static final long GRACE_NANOS = 2_000_000;
  /** Consecutive late calls that start a solo period. */
  private static final int SOLO_AFTER = 4;
  /** A wait for a claimed part longer than this and than the caller's own part means a preempted worker. */
  private static final long SOLO_WAIT_NANOS = 20_000;
  /** Most parts one call may have (they share a 16-bit field of the call word and of the ticket). */
  public static final int MAX_PARTS = 0xFFFF;

  private static volatile int threads = initialThreads();
  private static final AtomicBoolean busy = new AtomicBoolean();

  /** The current call, published by one volatile write of {@link Call#word}. */
  private static final Call call = new Call();
  /**
   * Per home part p ≥ 1: the generation that last claimed it at [p·STRIDE] and the last generation it
   * was completed in at [p·STRIDE + DONE], each alone in its cache line (64 bytes apart), so the
   * caller's wait for the completion leaves the claim in the worker's cache: its next claim is then
   * a local CAS, not a cross-core round trip. Generations only grow (64 bits never wrap), so a claim
   * for generation g succeeds only while the part is unclaimed in call g. Part 0 is always the
   * caller's and has no slots in use.
   */
  private static final int DONE = 8, STRIDE = 2 * DONE;
  private static final long[] slots = new long[MAX_THREADS * STRIDE];
  /**
   * Before looking whether a worker has claimed its part (which pulls the claim's cache line out of the
   * worker's cache), the caller waits for the part's completion for a quarter of its own part's time,
   * at most STEAL_AFTER_MAX_NANOS: a worker that started a little later than the caller (a cache-line
   * transfer, about 0.1 µs) usually finishes within it, and a worker that has not started costs little
   * more than without the wait.
   */
  private static final int STEAL_AFTER_SHIFT = 2;
  private static final long STEAL_AFTER_MAX_NANOS = 300;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  /** Ticket of a many-part call: generation (bits 63-32) | parts (31-16) | next unclaimed part (15-0). */
  private static final AtomicLong ticket = new AtomicLong();
  private static final AtomicInteger completed = new AtomicInteger();
  private static long generation;

  /**
   * Solo periods of home-part calls. A worker that is not spinning when a call is published (parked
   * after idling, or not scheduled: a machine shared with other jobs) or that is preempted in the
   * middle of its part costs the caller a steal or a long wait; while that keeps happening, waking
   * and waiting for it only adds to the caller's time. So after such calls the caller runs home-part
   * calls alone until {@code soloUntil} (nanoTime; 0 = none) and the worker parks; the period
   * doubles while the failures repeat, from SOLO_MIN_NANOS up to SOLO_MAX_NANOS, and resets after a
   * call the workers kept up with. A period starts after SOLO_AFTER late calls in a row, and late
   * calls in the GRACE_NANOS after a period (the parked worker waking up; an idle virtual CPU can
   * take a while) do not count. Written only by the thread holding {@code busy}.
   */
  private static long soloUntil, soloNanos = SOLO_MIN_NANOS;
  /** Late calls are forgiven until then: after a solo period the parked worker needs time to wake. */
  private static long graceUntil = System.nanoTime();
  /** Consecutive late calls (outside grace periods). */
  private static int lateStreak;
  private static Worker[] workers = new Worker[0];

  private WorkerPool() {}

  /**
   * The state of the current call, written by the caller before it publishes {@link #word} and read
   * by workers after they read it (fields together, so a worker reads them in about one cache miss).
   */
  private static final class Call {
    /** generation (bits 63-17) | home mode (bit 16) | parts (15-0); 0 before the first call. */
    volatile long word;
    /**
     * The job; a worker reads it only after claiming a part of the current generation. (The last job
     * stays referenced after its call.)
     */
    Job job;
    /** Written before word is published, read after it (or after a completion) is seen: no fence needed. */
    Thread caller;
    volatile boolean callerParked;
    /** A part's failure: written before its completion is published, read after it is seen. */
    Throwable failure;
  }

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
    int t = threads, helpers = Math.min(t, parts) - 1;
    if (helpers == 0 || Thread.currentThread() instanceof Worker || !busy.compareAndSet(false, true)) {
      runAll(job, parts);
      return;
    }
    boolean home = parts <= t;
    if (home && soloUntil != 0) {
      if (System.nanoTime() - soloUntil < 0) {
        try {
          runAll(job, parts);
        } finally {
          busy.setRelease(false);
        }
        return;
      }
      soloUntil = 0;
    }
    Call c = call;
    try {
      Worker[] ws = workers.length >= helpers ? workers : ensureWorkers(helpers);
      long g = ++generation;
      // fields written only when they change: between back-to-back calls of one caller and job the
      // call's cache line then changes only by the word, which the spinning workers read anyway
      if (c.failure != null) c.failure = null;
      Thread me = Thread.currentThread();
      if (c.caller != me) c.caller = me;
      if (c.job != job) c.job = job;
      if (!home) {
        ticket.set((g << 32) | ((long) parts << 16));
        completed.set(0);
      }
      c.word = (g << 17) | (home ? 1L << 16 : 0) | parts;
      for (int w = 0; w < helpers; w++) ws[w].wake();
      if (home) runHome(c, job, g, parts);
      else {
        work(c, (int) g);
        awaitCompletion(c, parts);
      }
      Throwable e = c.failure;
      if (e != null) {
        c.failure = null;
        rethrow(e);
      }
    } finally {
      busy.setRelease(false);
    }
  }

  // every part on the caller, in order; the first failure is rethrown after the others ran
  private static void runAll(Job job, int parts) {
    Throwable first = null;
    for (int p = 0; p < parts; p++) {
      try {
        job.run(p, parts);
      } catch (Throwable e) {
        if (first == null) first = e;
      }
    }
    rethrow(first);
  }

  private static void rethrow(Throwable e) {
    if (e instanceof RuntimeException r) throw r;
    if (e instanceof Error r) throw r;
    if (e != null) throw new IllegalStateException(e);
  }

  // the caller's side of a home-part call: its own part, then any part no worker has claimed (after a
  // short wait for its completion, see STEAL_AFTER_SHIFT), then the wait; then whether the workers kept
  // up (see soloUntil)
  private static void runHome(Call c, Job job, long g, int parts) {
    long start = System.nanoTime();
    try {
      job.run(0, parts);
    } catch (Throwable e) {
      c.failure = e;
    }
    long own = System.nanoTime() - start, stealAt = start + own + Math.min(own >> STEAL_AFTER_SHIFT, STEAL_AFTER_MAX_NANOS);
    boolean stole = false;
    for (int p = 1; p < parts; p++) {
      if (isDone(p, g)) continue;
      while (!isDone(p, g) && System.nanoTime() - stealAt < 0) Thread.onSpinWait();
      if (!isDone(p, g) && claim(p, g)) {
        runPart(c, job, p, parts, g);
        stole = true;
      }
    }
    long waitStart = -1;
    for (int p = 1; p < parts; p++) {
      long w = awaitDone(c, p, g);
      if (w >= 0 && waitStart < 0) waitStart = w;
    }
    boolean late = stole;
    if (waitStart >= 0) late |= System.nanoTime() - waitStart > Math.max(SOLO_WAIT_NANOS, waitStart - start);
    if (!late) {
      soloNanos = SOLO_MIN_NANOS;
      lateStreak = 0;
      return;
    }
    long now = System.nanoTime();
    if (now - graceUntil < 0) return; // a worker woken after a solo period may take a while to spin again
    if (++lateStreak < SOLO_AFTER) return; // a single late call (an interrupt, a JIT or GC thread) costs little
    lateStreak = 0;
    long until = now + soloNanos;
    soloUntil = until == 0 ? 1 : until;
    graceUntil = until + GRACE_NANOS;
    soloNanos = Math.min(2 * soloNanos, SOLO_MAX_NANOS);
  }

  /** Claims home part p for generation g: true if no thread has claimed it in call g (or later). */
  private static boolean claim(int p, long g) {
    long seen = (long) SLOT.getVolatile(slots, p * STRIDE);
    return seen < g && SLOT.compareAndSet(slots, p * STRIDE, seen, g);
  }

  private static void runPart(Call c, Job job, int p, int parts, long g) {
    try {
      job.run(p, parts);
    } catch (Throwable e) {
      c.failure = e;
    }
    SLOT.setVolatile(slots, p * STRIDE + DONE, g);
  }

  private static boolean isDone(int p, long g) { return (long) SLOT.getVolatile(slots, p * STRIDE + DONE) == g; }

  // waits until home part p of generation g is done; returns when the wait began, or -1 if it was done
  private static long awaitDone(Call c, int p, long g) {
    if (isDone(p, g)) return -1;
    long start = System.nanoTime();
    for (int spins = 0; !isDone(p, g); spins++) {
      if (spins % SPINS_PER_CLOCK != 0) {
        Thread.onSpinWait();
        continue;
      }
      long waited = System.nanoTime() - start;
      if (waited < SPIN_NANOS) Thread.onSpinWait();
      else if (waited < YIELD_NANOS) Thread.yield();
      else {
        c.callerParked = true;
        if (!isDone(p, g)) LockSupport.park(WorkerPool.class);
        c.callerParked = false;
      }
    }
    return start;
  }

  /** Claims and runs parts of many-part generation {@code g} until none is left. */
  private static void work(Call c, int g) {
    while (true) {
      long t = ticket.get();
      int parts = (int) (t >>> 16) & 0xFFFF, part = (int) t & 0xFFFF;
      if ((int) (t >>> 32) != g || part >= parts) return;
      if (!ticket.compareAndSet(t, t + 1)) continue;
      try {
        c.job.run(part, parts);
      } catch (Throwable e) {
        c.failure = e;
      }
      if (completed.incrementAndGet() == parts && c.callerParked) LockSupport.unpark(c.caller);
    }
  }

  private static void awaitCompletion(Call c, int parts) {
    long start = System.nanoTime();
    while (completed.get() != parts) {
      long waited = System.nanoTime() - start;
      if (waited < SPIN_NANOS) {
        Thread.onSpinWait();
      } else if (waited < YIELD_NANOS) {
        Thread.yield();
      } else {
        c.callerParked = true;
        if (completed.get() != parts) LockSupport.park(WorkerPool.class);
        c.callerParked = false;
      }
    }
  }

  private static synchronized Worker[] ensureWorkers(int n) {
    if (workers.length < n) {
      Worker[] grown = java.util.Arrays.copyOf(workers, n);
      for (int i = workers.length; i < n; i++) {
        grown[i] = new Worker("sequor-worker-" + (i + 1), i + 1);
        grown[i].start();
      }
      workers = grown;
    }
    return workers;
  }

  private static final class Worker extends Thread {
    /** This worker's home part (1, 2, …; part 0 is the caller's). */
    private final int home;
    private volatile boolean parked;

    Worker(String name, int home) {
      super(name);
      this.home = home;
      setDaemon(true);
    }

    void wake() {
      if (parked) LockSupport.unpark(this);
    }

    @Override
    public void run() {
      Call c = call;
      long seen = c.word;
      while (true) {
        long start = System.nanoTime(), w;
        for (int spins = 0; (w = c.word) == seen; spins++) {
          if (spins % SPINS_PER_CLOCK != 0) {
            Thread.onSpinWait();
            continue;
          }
          long waited = System.nanoTime() - start;
          if (waited < SPIN_NANOS) {
            Thread.onSpinWait();
          } else if (waited < YIELD_NANOS) {
            Thread.yield();
          } else {
            parked = true;
            if (c.word == seen) LockSupport.park(this);
            parked = false;
            start = System.nanoTime();
          }
        }
        seen = w;
        long g = w >>> 17;
        int parts = (int) w & 0xFFFF;
        if ((w & (1L << 16)) == 0) work(c, (int) g); // claims nothing if the caller has finished generation g
        else if (home < parts && claim(home, g)) {
          // claimed while call g is unfinished, so c.job is still call g's job
          runPart(c, c.job, home, parts, g);
          if (c.callerParked) LockSupport.unpark(c.caller);
        }
      }
    }
  }
}
