package dev.sequor.rnn;

import dev.sequor.cli.bench.BandwidthBench;
import dev.sequor.cli.bench.PeakFmaBench;
import dev.sequor.cli.bench.RandomRecurrentLayer;
import dev.sequor.kernel.WorkerPool;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What bounds a batch-1 streaming step: for one cell at one H, per part of a two-thread step (half the
 * packed panels of W_ih and W_hh, the share of one core), the time to read its weight bytes (a plain
 * vector sum over the same panels: the cache's read bandwidth), the time of its FMAs at the measured
 * peak, the measured time of its two products ({@link PackedPanels#wtx}) on one thread, and the whole
 * step through the public API on one and two threads. f32 and bf16 storage. Medians of interleaved runs.
 * Not a JMH benchmark: after {@code ./mvnw -q -DskipTests test-compile},
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * dev.sequor.rnn.StepFloors [H] [rnn|gru|lstm]} (default 256 lstm). notes/streaming-inference.md reads it.
 */
public final class StepFloors {
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final int ROUNDS = 15;
  private static volatile float sink;

  private StepFloors() {}

  public static void main(String[] args) {
    int hidden = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    CellType cell = args.length > 1 ? CellType.of(args[1], "tanh") : CellType.LSTM;
    double fmaPerSecond = peakFmaPerSecond();
    System.out.printf(Locale.ROOT, "%s H=%d; peak %.1f GFLOPS (16-lane FMAs: %.2f per ns)%n", cell.arch(), hidden,
        fmaPerSecond * 32 / 1e9, fmaPerSecond / 1e9);
    System.out.println("storage | part bytes | read (us) | FMA floor (us) | products (us) | step t1 (us) | step t2 (us)");
    for (WeightStorage storage : WeightStorage.values()) row(cell, hidden, storage, fmaPerSecond);
  }

  private static void row(CellType cell, int hidden, WeightStorage storage, double fmaPerSecond) {
    RandomRecurrentLayer layer = RandomRecurrentLayer.of(cell, hidden, new SplittableRandom(7));
    RecurrentModel model = RecurrentModel.of(layer.layout(), layer.values(), storage);
    PackedPanels ih = model.pIh[0], hh = model.pHh[0];
    StreamLayout sl = model.layout;
    int p1 = sl.firstPanel((sl.groups + 1) / 2, ih.panels); // part 0 of a two-part step: the first half of the groups
    long partFloats = (long) p1 * PackedPanels.WIDTH * hidden * 2; // both matrices, in = H rows each
    long bytes = storage == WeightStorage.F32 ? 4 * partFloats : 2 * partFloats;
    double fmaFloorUs = partFloats / 16.0 / fmaPerSecond * 1e6;

    SplittableRandom rng = new SplittableRandom(3);
    float[] x = new float[hidden], y = new float[ih.paddedCols()], init = new float[ih.paddedCols()];
    for (int i = 0; i < hidden; i++) x[i] = (float) rng.nextGaussian();
    int[] ihBits = ih.bf16, hhBits = hh.bf16;
    float[] ihF = ih.f32, hhF = hh.f32;
    int partInts = (int) (bytes / 2 / 4); // per matrix: the part's panels are its first p1 (ints or floats)
    Runnable read = storage == WeightStorage.F32
        ? () -> sink += BandwidthBench.sum(ihF, partInts) + BandwidthBench.sum(hhF, partInts)
        : () -> sink += sumInts(ihBits, partInts) + sumInts(hhBits, partInts);
    Runnable products = () -> {
      ih.wtx(y, 0, init, 0, x, 0, 0, p1);
      hh.wtx(y, 0, init, 0, x, 0, 0, p1);
    };
    RecurrentState state = model.newState();
    Runnable step = () -> state.step(x, 0);

    int saved = WorkerPool.threads();
    try {
      WorkerPool.setThreads(1);
      double[][] us = new double[4][ROUNDS];
      for (int r = -3; r < ROUNDS; r++) { // three untimed rounds: the JIT settles
        double a = perCallUs(read), b = perCallUs(products), c = perCallUs(step);
        WorkerPool.setThreads(2);
        double d = perCallUs(step);
        WorkerPool.setThreads(1);
        if (r >= 0) { us[0][r] = a; us[1][r] = b; us[2][r] = c; us[3][r] = d; }
      }
      System.out.printf(Locale.ROOT, "%s | %d KB | %.2f | %.2f | %.2f | %.2f | %.2f%n", storage.name().toLowerCase(Locale.ROOT),
          bytes >> 10, median(us[0]), fmaFloorUs, median(us[1]), median(us[2]), median(us[3]));
    } finally {
      WorkerPool.setThreads(saved);
    }
  }

  /** Sum of the first n ints (n a multiple of 4 vectors), four accumulators: reads them as the bf16 kernel does. */
  private static float sumInts(int[] a, int n) {
    int l = I.length();
    IntVector s0 = IntVector.zero(I), s1 = s0, s2 = s0, s3 = s0;
    for (int i = 0; i + 4 * l <= n; i += 4 * l) {
      s0 = s0.add(IntVector.fromArray(I, a, i));
      s1 = s1.add(IntVector.fromArray(I, a, i + l));
      s2 = s2.add(IntVector.fromArray(I, a, i + 2 * l));
      s3 = s3.add(IntVector.fromArray(I, a, i + 3 * l));
    }
    return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
  }

  private static double peakFmaPerSecond() {
    long iterations = 2_000_000;
    for (int i = 0; i < 5; i++) sink += PeakFmaBench.loop(iterations); // compile
    double[] t = new double[7];
    for (int r = 0; r < t.length; r++) {
      long t0 = System.nanoTime();
      sink += PeakFmaBench.loop(iterations);
      t[r] = (System.nanoTime() - t0) / 1e9;
    }
    return 12.0 * iterations / median(t);
  }

  // microseconds per call over about 20 ms of calls
  private static double perCallUs(Runnable body) {
    body.run();
    long t0 = System.nanoTime(), n = 0;
    do {
      body.run();
      n++;
    } while (System.nanoTime() - t0 < 20_000_000L);
    return (System.nanoTime() - t0) / 1e3 / n;
  }

  private static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
