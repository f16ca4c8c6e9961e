package dev.sequor.train;

import java.util.SplittableRandom;

/**
 * Where each training step's (batch, seq) windows come from. A window at offset o takes inputs
 * {@code data[o .. o+seq)} and targets {@code data[o+1 .. o+seq]}. The windows of step s are a pure
 * function of (data, seed, s), so a resumed run draws exactly the windows it would have drawn.
 */
public abstract sealed class Windows {
  final int[] data;
  final int batch, seq;

  Windows(int[] data, int batch, int seq) {
    if (batch < 1 || seq < 1) throw new IllegalArgumentException("batch and seq must be >= 1, got " + batch + ", " + seq);
    if (data.length < seq + 1)
      throw new IllegalArgumentException("training text of " + data.length + " characters is too short for windows of " + seq + " (+1)");
    this.data = data;
    this.batch = batch;
    this.seq = seq;
  }

  /** Fills {@code inputs} and {@code targets} (batch·seq each) with step {@code step}'s windows. */
  public abstract void fill(long step, int[] inputs, int[] targets);

  /** True when the carried state must restart from zero before step {@code step}. */
  public abstract boolean resetsCarry(long step);

  void copyWindow(int b, int offset, int[] inputs, int[] targets) {
    System.arraycopy(data, offset, inputs, b * seq, seq);
    System.arraycopy(data, offset + 1, targets, b * seq, seq);
  }

  /** Independent uniformly random windows, nanoGPT's {@code get_batch}. */
  public static final class Random extends Windows {
    private final long seed;

    public Random(int[] data, int batch, int seq, long seed) {
      super(data, batch, seq);
      this.seed = seed;
    }

    @Override
    public void fill(long step, int[] inputs, int[] targets) {
      SplittableRandom rng = Seeds.rng(seed, Seeds.DATA, step);
      int range = data.length - seq; // offsets 0 .. len-seq-1 leave room for the last target
      for (int b = 0; b < batch; b++) copyWindow(b, rng.nextInt(range), inputs, targets);
    }

    @Override
    public boolean resetsCarry(long step) { return true; }
  }

  /**
   * B contiguous streams for truncated BPTT: the training text is cut into B equal segments and
   * stream b reads segment b window after window, so window s continues window s−1 and the model's
   * state can carry over. When a segment is exhausted every stream wraps to its start (a new epoch)
   * and the state restarts.
   */
  public static final class Streams extends Windows {
    private final int segment, windowsPerEpoch;

    public Streams(int[] data, int batch, int seq) {
      super(data, batch, seq);
      this.segment = (data.length - 1) / batch;
      this.windowsPerEpoch = segment / seq;
      if (windowsPerEpoch < 1)
        throw new IllegalArgumentException("training text of " + data.length + " characters is too short for " + batch
            + " streams of windows of " + seq);
    }

    @Override
    public void fill(long step, int[] inputs, int[] targets) {
      int w = (int) (step % windowsPerEpoch);
      for (int b = 0; b < batch; b++) copyWindow(b, b * segment + w * seq, inputs, targets);
    }

    @Override
    public boolean resetsCarry(long step) { return step % windowsPerEpoch == 0; }
  }
}
