package dev.sequor.transformer;

/**
 * Optional wall-clock profile of {@link Gpt#forwardBackward} by phase, for the profiling harness in
 * bench/ ({@code -Dsequor.profile.gpt=true}). Off by default: {@link #ON} is a static final false, so
 * the JIT removes every {@code if (StepPhases.ON) lap(...)} and the hot path is unchanged.
 * Single-threaded use only (the caller's thread; parts run by workers are inside a phase). Public for
 * the attention layer's phases only.
 */
public final class StepPhases {
  public static final boolean ON = Boolean.getBoolean("sequor.profile.gpt");
  /**
   * Charge the calling thread's CPU time instead of wall time ({@code -Dsequor.profile.cpu=true}): with
   * one thread on a machine shared with other jobs, this leaves out the time the thread waited.
   */
  static final boolean CPU = Boolean.getBoolean("sequor.profile.cpu");
  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

  static final String[] NAMES = {
      "fwd embed", "fwd ln_1", "fwd c_attn", "fwd attention", "fwd attn c_proj", "fwd residual 1",
      "fwd ln_2", "fwd c_fc", "fwd gelu", "fwd mlp c_proj", "fwd residual 2", "fwd ln_f", "fwd head",
      "loss", "bwd head", "bwd ln_f", "bwd mlp c_proj", "bwd gelu", "bwd c_fc", "bwd ln_2",
      "bwd attn c_proj", "bwd attention", "bwd c_attn", "bwd ln_1", "bwd embed"};
  public static final int F_EMBED = 0, F_LN1 = 1, F_QKV = 2, F_ATTN = 3, F_APROJ = 4, F_RES1 = 5, F_LN2 = 6,
      F_FC = 7, F_GELU = 8, F_MPROJ = 9, F_RES2 = 10, F_LNF = 11, F_HEAD = 12, LOSS = 13, B_HEAD = 14,
      B_LNF = 15, B_MPROJ = 16, B_GELU = 17, B_FC = 18, B_LN2 = 19, B_APROJ = 20, B_ATTN = 21,
      B_QKV = 22, B_LN1 = 23, B_EMBED = 24;

  /** Accumulated nanoseconds per phase since the last {@link #reset}. */
  static final long[] NANOS = new long[NAMES.length];
  private static long last;

  private StepPhases() {}

  static void reset() { java.util.Arrays.fill(NANOS, 0); }

  /** Starts the clock (the beginning of a step). */
  static void start() { last = now(); }

  /** The clock the phases are charged by (see {@link #CPU}). */
  static long now() { return CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime(); }

  /** Charges the time since the previous mark to {@code phase}. */
  public static void lap(int phase) {
    long t = now();
    NANOS[phase] += t - last;
    last = t;
  }
}
