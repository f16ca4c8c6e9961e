package dev.sequor.kernel.simd;

import static dev.sequor.kernel.simd.VectorMath.F;

import dev.sequor.kernel.ref.ScalarMath;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD row softmax, log-softmax and their backward passes; twins of
 * {@link dev.sequor.kernel.ref.RefSoftmax}. Element-wise parts match the reference bit for bit; the
 * row sums use {@link SimdReduce}'s order. Validated by the facade {@link dev.sequor.kernel.Softmax}.
 */
public final class SimdSoftmax {
  private SimdSoftmax() {}

  private static final int L = F.length();

  // out (rows,cols) = softmax over each row of x (rows,cols); math/softmax.md (1)–(3)
  public static void rows(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) row(out, outOff + r * cols, x, xOff + r * cols, cols, cols);
  }

  // row r sees columns 0 .. firstPos + r; later columns get exactly 0; math/softmax.md (4)
  public static void rowsCausal(float[] out, int outOff, float[] x, int xOff, int rows, int cols, int firstPos) {
    for (int r = 0; r < rows; r++) row(out, outOff + r * cols, x, xOff + r * cols, firstPos + r + 1, cols);
  }

  /**
   * One row: out[0..visible) = softmax(x[0..visible)), out[visible..cols) = 0. out may be x.
   * Returns nothing; the exponentials are stored first and scaled by 1/Σ afterwards.
   */
  public static void row(float[] out, int o, float[] x, int xo, int visible, int cols) {
    if (visible > 0) {
      float max = SimdReduce.max(x, xo, visible);
      float sum = expShiftSum(out, o, x, xo, visible, max);
      scale(out, o, 1f / sum, visible);
    }
    Arrays.fill(out, o + visible, o + cols, 0f);
  }

  /** out[o..o+n) = e^(x − shift), returns Σ of them (shift ≥ max x keeps every exponent ≤ 0). */
  static float expShiftSum(float[] out, int o, float[] x, int xo, int n, float shift) {
    FloatVector vs = FloatVector.broadcast(F, shift);
    FloatVector acc = FloatVector.zero(F);
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector e = VectorMath.expBounded(FloatVector.fromArray(F, x, xo + i).sub(vs));
      e.intoArray(out, o + i);
      acc = acc.add(e);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      float e = ScalarMath.expBounded(x[xo + i] - shift);
      out[o + i] = e;
      sum += e;
    }
    return sum;
  }

  private static void scale(float[] a, int o, float s, int n) {
    FloatVector vs = FloatVector.broadcast(F, s);
    int i = 0;
    for (; i <= n - L; i += L) FloatVector.fromArray(F, a, o + i).mul(vs).intoArray(a, o + i);
    for (; i < n; i++) a[o + i] *= s;
  }

  // dx (rows,cols) += y ⊙ (dy − rowsum(y ⊙ dy)); math/softmax.md (6)
  public static void backward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float dot = SimdReduce.dot(y, yOff + o, dy, dyOff + o, cols);
      FloatVector vd = FloatVector.broadcast(F, dot);
      int i = 0;
      for (; i <= cols - L; i += L) {
        FloatVector yv = FloatVector.fromArray(F, y, yOff + o + i);
        FloatVector g = FloatVector.fromArray(F, dy, dyOff + o + i).sub(vd);
        yv.fma(g, FloatVector.fromArray(F, dx, dxOff + o + i)).intoArray(dx, dxOff + o + i);
      }
      for (; i < cols; i++) dx[dxOff + o + i] = Math.fma(y[yOff + o + i], dy[dyOff + o + i] - dot, dx[dxOff + o + i]);
    }
  }

  // out (rows,cols) = log softmax(x) = (x − max) − log Σ e^(x − max); out may be x; math/softmax.md (7)
  public static void logRows(float[] out, int outOff, float[] x, int xOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = outOff + r * cols, xo = xOff + r * cols;
      if (cols == 0) continue;
      float max = SimdReduce.max(x, xo, cols);
      float sum = sumExpShift(x, xo, cols, max);
      float logSum = (float) Math.log(sum);
      FloatVector vm = FloatVector.broadcast(F, max), vl = FloatVector.broadcast(F, logSum);
      int i = 0;
      for (; i <= cols - L; i += L) FloatVector.fromArray(F, x, xo + i).sub(vm).sub(vl).intoArray(out, o + i);
      for (; i < cols; i++) out[o + i] = (x[xo + i] - max) - logSum;
    }
  }

  /** Σ e^(x − shift) over n elements, nothing stored. */
  static float sumExpShift(float[] x, int xo, int n, float shift) {
    FloatVector vs = FloatVector.broadcast(F, shift);
    FloatVector acc = FloatVector.zero(F);
    int i = 0;
    for (; i <= n - L; i += L) acc = acc.add(VectorMath.expBounded(FloatVector.fromArray(F, x, xo + i).sub(vs)));
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) sum += ScalarMath.expBounded(x[xo + i] - shift);
    return sum;
  }

  // dx (rows,cols) += dy − e^y · rowsum(dy), y the saved log-softmax; math/softmax.md (8)
  public static void logBackward(float[] dx, int dxOff, float[] y, int yOff, float[] dy, int dyOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      float s = SimdReduce.sum(dy, dyOff + o, cols);
      FloatVector vs = FloatVector.broadcast(F, -s);
      int i = 0;
      for (; i <= cols - L; i += L) {
        FloatVector p = VectorMath.expBounded(FloatVector.fromArray(F, y, yOff + o + i));
        FloatVector g = p.fma(vs, FloatVector.fromArray(F, dy, dyOff + o + i));
        g.add(FloatVector.fromArray(F, dx, dxOff + o + i)).intoArray(dx, dxOff + o + i);
      }
      for (; i < cols; i++) {
        float p = ScalarMath.expBounded(y[yOff + o + i]);
        dx[dxOff + o + i] += Math.fma(p, -s, dy[dyOff + o + i]);
      }
    }
  }
}
