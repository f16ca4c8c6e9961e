package dev.sequor.cli.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code bandwidth}: read bandwidth of one core over working sets from L2 (1 MB per core on Zen 4) to
 * DRAM (well past the 32 MB L3), reading a float array repeatedly with vector loads into four
 * independent accumulators. GEMV efficiency is quoted against the line of its matrix's cache level;
 * the working sets include the exact sizes of {@code gemv}'s matrices (256 KB, 1 MB, 4 MB, 16 MB for
 * H = 128..1024), so each GEMV line has a bandwidth line of the same size to be divided by (1 MB is the
 * whole L2 of a core: neither 768 KB nor 4 MB is a fair stand-in for it).
 */
public final class BandwidthBench implements QuickBench {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final long[] WORKING_SETS = {256L << 10, 768L << 10, 1L << 20, 4L << 20, 16L << 20, 256L << 20};
  private float sink;

  @Override
  public String name() { return "bandwidth"; }

  @Override
  public void run(BenchReport report) {
    for (long bytes : WORKING_SETS) {
      float[] a = Timing.randomArray((int) (bytes / Float.BYTES), bytes);
      double seconds = Timing.secondsPerCall(() -> sink += sum(a), 0.5, 7, 0.05);
      report.emit(BenchReport.record(name()).put("bytes", bytes).put("threads", 1).put("gb_per_s", bytes / seconds / 1e9));
    }
  }

  /** Reads every element once (length a multiple of 4 vectors). */
  public static float sum(float[] a) { return sum(a, a.length); }

  /** Reads the first n elements once (n a multiple of 4 vectors), four accumulators. */
  public static float sum(float[] a, int n) {
    int l = S.length();
    FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
    for (int i = 0; i + 4 * l <= n; i += 4 * l) {
      s0 = s0.add(FloatVector.fromArray(S, a, i));
      s1 = s1.add(FloatVector.fromArray(S, a, i + l));
      s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * l));
      s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * l));
    }
    return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
  }
}
