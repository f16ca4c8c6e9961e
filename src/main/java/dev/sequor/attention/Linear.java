package dev.sequor.attention;

import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.Vec;

/**
 * A PyTorch/nanoGPT {@code nn.Linear} on flat buffers: weight W stored (out, in), optional bias (out),
 * both addressed by offset inside one parameter array (a {@code ParamStore}'s value / grad).
 */
public final class Linear {
  private Linear() {}

  /** Marks an absent bias ({@code bias=False} in nanoGPT). */
  public static final int NO_BIAS = -1;

  // x (n,in), W (out,in), b (out) -> y (n,out) = x Wᵀ + b; overwrites y. bOff = NO_BIAS for none.
  public static void forward(float[] y, int yOff, float[] p, int wOff, int bOff, float[] x, int xOff,
      int n, int in, int out) {
    if (bOff == NO_BIAS) java.util.Arrays.fill(y, yOff, yOff + n * out, 0f);
    else for (int r = 0; r < n; r++) System.arraycopy(p, bOff, y, yOff + r * out, out);
    // the bias is C's starting value: every output is then one FMA chain (Gemm's contract)
    Gemm.nt(y, yOff, out, x, xOff, in, p, wOff, in, n, out, in);
  }

  // x (n,in), Wᵀ stored (in,out) at wtOff in pt, b (out) in p -> y (n,out) = x Wᵀ + b; overwrites y.
  // The same FMA chain per output as forward (Gemm's contract), so bit-identical to it; for decoding,
  // where a one-row product against W (out,in) would make the GEMM repack W at every call.
  public static void forwardTransposed(float[] y, int yOff, float[] pt, int wtOff, float[] p, int bOff,
      float[] x, int xOff, int n, int in, int out) {
    if (bOff == NO_BIAS) java.util.Arrays.fill(y, yOff, yOff + n * out, 0f);
    else for (int r = 0; r < n; r++) System.arraycopy(p, bOff, y, yOff + r * out, out);
    Gemm.nn(y, yOff, out, x, xOff, in, pt, wtOff, out, n, out, in);
  }

  // dy (n,out) -> dx (n,in) += dy W (skipped when dx is null), dW (out,in) += dyᵀ x, db (out) += Σ_rows dy
  public static void backward(float[] dx, int dxOff, float[] g, int wOff, int bOff, float[] dy, int dyOff,
      float[] x, int xOff, float[] p, int n, int in, int out) {
    if (dx != null) Gemm.nn(dx, dxOff, in, dy, dyOff, out, p, wOff, in, n, in, out);
    Gemm.tn(g, wOff, in, dy, dyOff, out, x, xOff, in, out, in, n);
    if (bOff != NO_BIAS) Vec.sumRows(g, bOff, dy, dyOff, out, n, out);
  }
}
