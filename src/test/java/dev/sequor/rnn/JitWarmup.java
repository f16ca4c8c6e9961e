package dev.sequor.rnn;

/**
 * Runs the fused cell passes until the JIT has compiled them, for tests comparing results computed at
 * different times bit for bit. Needed while {@code VectorMath} is the placeholder built on the JDK's
 * lanewise EXP/TANH, which round differently interpreted (per-lane Math) and compiled (vector stubs);
 * harmless afterwards.
 */
final class JitWarmup {
  private static volatile boolean done;

  private JitWarmup() {}

  static synchronized void cells() {
    if (done) return;
    int n = 37; // a vector part and a scalar tail
    float[] xp = new float[4 * n], hp = new float[4 * n], h = new float[n], c = new float[n], act = new float[5 * n];
    java.util.SplittableRandom rng = new java.util.SplittableRandom(0);
    for (int i = 0; i < xp.length; i++) {
      xp[i] = (float) rng.nextGaussian();
      hp[i] = (float) rng.nextGaussian();
    }
    for (int i = 0; i < 40_000; i++)
      for (CellType cell : CellType.values()) {
        Cells.forward(cell, h, 0, c, 0, h, 0, c, 0, xp, 0, hp, 0, null, 0, n);
        Cells.forward(cell, h, 0, c, 0, h, 0, c, 0, xp, 0, hp, 0, act, 0, n);
      }
    done = true;
  }
}
