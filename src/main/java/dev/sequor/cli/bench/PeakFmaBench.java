package dev.sequor.cli.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code peak_fma}: the FMA throughput of one core, from a loop of twelve independent register-resident
 * vector FMA chains (enough to cover a 4-cycle latency at two FMAs per cycle). GEMM efficiency is
 * quoted against this figure.
 */
public final class PeakFmaBench implements QuickBench {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int CHAINS = 12;
  private static final long ITERATIONS = 2_000_000;
  private float sink;

  @Override
  public String name() { return "peak_fma"; }

  @Override
  public void run(BenchReport report) {
    double seconds = Timing.secondsPerCall(() -> sink += loop(ITERATIONS), 0.5, 7, 0.05);
    double flops = 2.0 * CHAINS * S.length() * ITERATIONS;
    report.emit(BenchReport.record(name()).put("threads", 1).put("gflops", flops / seconds / 1e9));
  }

  /** Twelve FMA chains x = x·m + d, each dependent on itself only. */
  public static float loop(long iterations) {
    FloatVector m = FloatVector.broadcast(S, 0.9999999f), d = FloatVector.broadcast(S, 1e-8f);
    FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0.add(1e-7f), a2 = a0.add(2e-7f), a3 = a0.add(3e-7f);
    FloatVector a4 = a0.add(4e-7f), a5 = a0.add(5e-7f), a6 = a0.add(6e-7f), a7 = a0.add(7e-7f);
    FloatVector a8 = a0.add(8e-7f), a9 = a0.add(9e-7f), a10 = a0.add(1e-6f), a11 = a0.add(1.1e-6f);
    for (long i = 0; i < iterations; i++) {
      a0 = a0.fma(m, d); a1 = a1.fma(m, d); a2 = a2.fma(m, d); a3 = a3.fma(m, d);
      a4 = a4.fma(m, d); a5 = a5.fma(m, d); a6 = a6.fma(m, d); a7 = a7.fma(m, d);
      a8 = a8.fma(m, d); a9 = a9.fma(m, d); a10 = a10.fma(m, d); a11 = a11.fma(m, d);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
        .reduceLanes(VectorOperators.ADD);
  }
}
