package dev.sequor.transformer;

import dev.sequor.kernel.Activations;
import dev.sequor.kernel.GeluWithGrad;
import dev.sequor.kernel.LayerNorm;
import dev.sequor.kernel.Vec;
import dev.sequor.kernel.WorkerPool;

/**
 * The decoder's element-wise and row-wise passes split over the {@link WorkerPool}: GELU forward (with
 * its derivative saved for training), its backward, the residual add fused with the LayerNorm that
 * follows it. Each part runs the same kernel
 * on a contiguous range (of elements or of rows) and the kernels are element- or row-wise, so results
 * are bit-identical to one call over everything, for any thread count. One instance per model (its
 * fields are the current call's arguments); no allocation per call.
 */
final class RowJobs implements WorkerPool.Job {
  /** Floats per part at least: below this, waking a worker costs more than the work. */
  private static final int MIN_FLOATS_PER_PART = 16 * 1024;
  /** Parts are multiples of this many elements (whole vectors, so the kernels' tails do not move). */
  private static final int ALIGN = 64;

  private static final int GELU = 0, GELU_BACKWARD = 1, ADD_LAYER_NORM = 2;

  private int op, n, rows, c;
  private float[] out, x, y, mean, rstd, p;
  private int outOff, xOff, yOff, meanOff, rstdOff, wOff, bOff, midOff;
  private float eps;

  // out (n) = gelu(x (n)); with grad non-null also grad (n) = gelu'(x) (GeluWithGrad)
  void gelu(float[] out, int outOff, float[] grad, int gradOff, float[] x, int xOff, int n) {
    this.op = GELU; this.out = out; this.outOff = outOff; this.y = grad; this.yOff = gradOff; this.x = x; this.xOff = xOff;
    this.n = n;
    runElements(n);
  }

  // dx (n) = dy ⊙ grad (n), overwriting dx; grad = gelu'(x) saved by gelu
  void geluBackward(float[] dx, int dxOff, float[] grad, int gradOff, float[] dy, int dyOff, int n) {
    this.op = GELU_BACKWARD; this.out = dx; this.outOff = dxOff; this.x = grad; this.xOff = gradOff; this.y = dy; this.yOff = dyOff;
    this.n = n;
    runElements(n);
  }

  // sum (rows,C) = a + b (aOff < 0: sum is given, nothing added); out (rows,C) = LayerNorm(sum) with
  // weight p[wOff], bias p[bOff] (bOff < 0: none), saving mean, rstd (rows); all but p in act
  void addLayerNorm(float[] act, int midOff, int aOff, int bOff2, int outOff, int meanOff, int rstdOff,
      float[] p, int wOff, int bOff, int rows, int c, float eps) {
    this.op = ADD_LAYER_NORM; this.x = act; this.midOff = midOff; this.xOff = aOff; this.yOff = bOff2; this.outOff = outOff;
    this.meanOff = meanOff; this.rstdOff = rstdOff; this.p = p; this.wOff = wOff; this.bOff = bOff;
    this.rows = rows; this.c = c; this.eps = eps;
    long floats = (long) rows * c;
    int parts = (int) Math.max(1, Math.min(Math.min(rows, 4L * WorkerPool.threads()), floats / MIN_FLOATS_PER_PART));
    run(parts);
  }

  private void runElements(int n) {
    int parts = (int) Math.max(1, Math.min(4L * WorkerPool.threads(), n / MIN_FLOATS_PER_PART));
    run(parts);
  }

  private void run(int parts) {
    try {
      WorkerPool.run(this, parts);
    } finally {
      out = x = y = mean = rstd = p = null;
    }
  }

  @Override
  public void run(int part, int parts) {
    if (op == ADD_LAYER_NORM) {
      int r0 = (int) ((long) rows * part / parts), r1 = (int) ((long) rows * (part + 1) / parts);
      int o = r0 * c, len = (r1 - r0) * c;
      if (xOff >= 0) Vec.add(x, midOff + o, x, xOff + o, x, yOff + o, len);
      LayerNorm.forward(x, outOff + o, x, meanOff + r0, x, rstdOff + r0, x, midOff + o, p, wOff,
          bOff < 0 ? null : p, Math.max(bOff, 0), r1 - r0, c, eps);
      return;
    }
    int units = (n + ALIGN - 1) / ALIGN;
    int i0 = (int) Math.min(n, (long) units * part / parts * ALIGN), i1 = (int) Math.min(n, (long) units * (part + 1) / parts * ALIGN);
    if (i1 <= i0) return;
    if (op == GELU) {
      if (y == null) Activations.gelu(out, outOff + i0, x, xOff + i0, i1 - i0);
      else GeluWithGrad.forward(out, outOff + i0, y, yOff + i0, x, xOff + i0, i1 - i0);
    } else {
      GeluWithGrad.backward(out, outOff + i0, x, xOff + i0, y, yOff + i0, i1 - i0);
    }
  }
}
