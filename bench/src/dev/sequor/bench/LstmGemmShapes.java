package dev.sequor.bench;

import dev.sequor.cli.bench.PeakFmaBench;
import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.PackedMatrix;
import dev.sequor.kernel.WorkerPool;
import java.util.Locale;

/**
 * GFLOPS per CPU-second (one thread) of the GEMM shapes of one 2-layer LSTM(512) training step at
 * batch 32, seq 64 ({@code bench train}'s): the per-step recurrent products (m = 32) with B read in
 * place or pre-packed, and the whole-sequence products (m or k = 2048). CPU time of the measuring
 * thread, so other jobs on a shared machine inflate it little. Run its main after
 * {@code ./mvnw -q -DskipTests test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes dev.sequor.bench.LstmGemmShapes}.
 */
public final class LstmGemmShapes {
  static final int B = 32, H = 512, G = 4 * H, R = 2048;
  private static float sink;

  private LstmGemmShapes() {}

  public static void main(String[] args) {
    WorkerPool.setThreads(args.length > 0 ? Integer.parseInt(args[0]) : 1);
    long it = 1_000_000;
    for (int w = 0; w < 5; w++) CpuTimeGemm.perCpu(() -> sink += PeakFmaBench.loop(it), 1, 3, 0.05, null);
    double peak = CpuTimeGemm.perCpu(() -> sink += PeakFmaBench.loop(it), 2.0 * 12 * 16 * it, 9, 0.05, null);
    System.out.printf(Locale.ROOT, "peak_fma %.1f GFLOPS (one thread, cpu clock)%n", peak);
    float[] h = CpuTimeGemm.random(B * H, 1), whh = CpuTimeGemm.random(G * H, 2), whhT = CpuTimeGemm.random(H * G, 3);
    float[] hp = new float[B * G], dg = CpuTimeGemm.random(B * G, 4), dh = new float[B * H];
    PackedMatrix fwdPacked = PackedMatrix.ofTransposed(whh, 0, H, G, H); // W_hhᵀ (H, 4H)
    PackedMatrix bwdPacked = PackedMatrix.of(whh, 0, H, G, H);           // W_hh (4H, H)
    float[] x = CpuTimeGemm.random(R * H, 5), xp = new float[R * G], dG = CpuTimeGemm.random(R * G, 6);
    float[] dw = new float[G * H], dx = new float[R * H];
    double rec = 2.0 * B * G * H, big = 2.0 * R * G * H;
    report("fwd recurrent nn (32x2048x512), B in place", rec, () -> Gemm.nn(hp, 0, G, h, 0, H, whhT, 0, G, B, G, H), peak);
    report("fwd recurrent nn (32x2048x512), B packed", rec, () -> Gemm.nn(hp, 0, G, h, 0, H, fwdPacked, B), peak);
    report("bwd recurrent nn (32x512x2048), B in place", rec, () -> Gemm.nn(dh, 0, H, dg, 0, G, whh, 0, H, B, H, G), peak);
    report("bwd recurrent nn (32x512x2048), B packed", rec, () -> Gemm.nn(dh, 0, H, dg, 0, G, bwdPacked, B), peak);
    report("fwd input nt (2048x2048x512)", big, () -> Gemm.nt(xp, 0, G, x, 0, H, whh, 0, H, R, G, H), peak);
    report("dW tn (2048x512, k=2048)", big, () -> Gemm.tn(dw, 0, H, dG, 0, G, x, 0, H, G, H, R), peak);
    report("dInput nn (2048x512x2048)", big, () -> Gemm.nn(dx, 0, H, dG, 0, G, whh, 0, H, R, H, G), peak);
  }

  static void report(String what, double flop, Runnable body, double peak) {
    long[] ids = WorkerPool.threads() == 1 ? null : workerIds();
    CpuTimeGemm.perCpu(body, 1, 3, 0.2, ids);
    double g = CpuTimeGemm.perCpu(body, flop, 7, 0.2, ids);
    System.out.printf(Locale.ROOT, "%-46s %6.1f GFLOPS %5.1f%% of peak%n", what, g, 100 * g / peak);
  }

  static long[] workerIds() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("sequor-worker") || t == Thread.currentThread())
        .mapToLong(Thread::threadId).toArray();
  }
}
