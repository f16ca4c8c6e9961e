package dev.sequor.cli.bench;

import java.util.Arrays;

/** Median-of-repeats timing for the quick benches (the machine is shared: medians, not minima or means). */
final class Timing {
  private Timing() {}

  /**
   * Seconds per call of {@code body}: warms up in batches of about {@code repSeconds} until two
   * consecutive batches agree within 5%, no JIT compilation finished during the last one, and at least
   * {@code warmupSeconds} have passed (the JIT needs a second or more for the vector kernels; capped at
   * four times the minimum), then times {@code reps} repeats of as many calls and returns the median
   * repeat's time per call. The compilation check matters on a loaded machine: there the interpreted
   * (or C1) vector code, a thousand times slower, can be stable for seconds while C2 is still compiling.
   */
  static double secondsPerCall(Runnable body, double warmupSeconds, int reps, double repSeconds) {
    long start = System.nanoTime();
    body.run();
    int calls = 1;
    double previous = Double.NaN;
    long compiled = compilationMillis();
    while (true) {
      double perCall = batch(body, calls);
      calls = (int) Math.max(1, Math.min(1_000_000, Math.round(repSeconds / perCall)));
      double elapsed = (System.nanoTime() - start) / 1e9;
      boolean stable = Math.abs(perCall - previous) <= 0.05 * previous;
      long nowCompiled = compilationMillis();
      boolean jitQuiet = nowCompiled == compiled;
      compiled = nowCompiled;
      if (elapsed >= 4 * warmupSeconds || (stable && jitQuiet && elapsed >= warmupSeconds)) break;
      previous = perCall;
    }
    double[] times = new double[reps];
    for (int r = 0; r < reps; r++) times[r] = batch(body, calls);
    Arrays.sort(times);
    return times[reps / 2];
  }

  /** Total JIT compilation time so far (ms), or 0 where the JVM does not report it. */
  private static long compilationMillis() {
    try {
      java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
      return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    } catch (LinkageError noManagementModule) { // a runtime image without java.management
      return 0;
    }
  }

  /**
   * Seconds per call of {@code a} and of {@code b}, measured in alternating batches (each warmed up as by
   * {@link #secondsPerCall} first): medians of {@code reps} batches each, so that both figures see the same
   * conditions of a shared machine (another job's use of a shared cache drifts over seconds).
   */
  static double[] pairedSecondsPerCall(Runnable a, Runnable b, double warmupSeconds, int reps, double repSeconds) {
    int callsA = (int) Math.max(1, Math.min(1_000_000, Math.round(repSeconds / secondsPerCall(a, warmupSeconds, 1, repSeconds))));
    int callsB = (int) Math.max(1, Math.min(1_000_000, Math.round(repSeconds / secondsPerCall(b, warmupSeconds, 1, repSeconds))));
    double[] ta = new double[reps], tb = new double[reps];
    for (int r = 0; r < reps; r++) {
      ta[r] = batch(a, callsA);
      tb[r] = batch(b, callsB);
    }
    Arrays.sort(ta);
    Arrays.sort(tb);
    return new double[] {ta[reps / 2], tb[reps / 2]};
  }

  private static double batch(Runnable body, int calls) {
    long t = System.nanoTime();
    for (int i = 0; i < calls; i++) body.run();
    return (System.nanoTime() - t) / 1e9 / calls;
  }

  /** Deterministic values in [-1, 1). */
  static float[] randomArray(int n, long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = rnd.nextFloat() * 2 - 1;
    return a;
  }

  /** Thread counts to measure: 1 and the maximum (once if they coincide). */
  static int[] threadCounts(int max) { return max == 1 ? new int[] {1} : new int[] {1, max}; }
}
