package dev.sequor.cli.bench;

import java.util.Arrays;

/** Median-of-repeats timing for the quick benches (the machine is shared: medians, not minima or means). */
final class Timing {
  private Timing() {}

  /**
   * Seconds per call of {@code body}: warms up for {@code warmupSeconds} (and at least 3 calls), then
   * times {@code reps} repeats, each of enough calls to last about {@code repSeconds}, and returns the
   * median repeat's time per call.
   */
  static double secondsPerCall(Runnable body, double warmupSeconds, int reps, double repSeconds) {
    long start = System.nanoTime();
    int warm = 0;
    while (warm < 3 || System.nanoTime() - start < warmupSeconds * 1e9) {
      body.run();
      warm++;
    }
    double perCall = (System.nanoTime() - start) / 1e9 / warm;
    int calls = (int) Math.max(1, Math.min(1_000_000, Math.round(repSeconds / perCall)));
    double[] times = new double[reps];
    for (int r = 0; r < reps; r++) {
      long t = System.nanoTime();
      for (int i = 0; i < calls; i++) body.run();
      times[r] = (System.nanoTime() - t) / 1e9 / calls;
    }
    Arrays.sort(times);
    return times[reps / 2];
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
