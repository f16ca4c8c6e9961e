package dev.sequor.kernel;

import dev.sequor.kernel.ref.RefLayerNorm;
import dev.sequor.kernel.simd.SimdLayerNorm;

/**
 * Layer normalisation over the last dimension C of (rows, C), PyTorch's {@code F.layer_norm}
 * semantics: biased variance, {@code rstd = 1/√(var + eps)}. Derivation: {@code math/layernorm.md}.
 */
public final class LayerNorm {
  private LayerNorm() {}

  /**
   * out (rows,C) = (x − mean)·rstd ⊙ weight + bias; saves mean (rows), rstd (rows). bias may be null.
   * out may be x itself (same array and offset). math/layernorm.md (1)–(4)
   */
  public static void forward(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
      float[] x, int xOff, float[] weight, int wOff, float[] bias, int bOff, int rows, int c, float eps) {
    shape(rows, c);
    if (!(eps >= 0f)) throw new IllegalArgumentException("layer norm: eps must be >= 0, got " + eps);
    Checks.span("out", out, outOff, (long) rows * c);
    Checks.span("x", x, xOff, (long) rows * c);
    Checks.span("mean", mean, meanOff, rows);
    Checks.span("rstd", rstd, rstdOff, rows);
    Checks.span("weight", weight, wOff, c);
    if (bias != null) Checks.span("bias", bias, bOff, c);
    if (Engine.SCALAR) RefLayerNorm.forward(out, outOff, mean, meanOff, rstd, rstdOff, x, xOff, weight, wOff, bias, bOff, rows, c, eps);
    else SimdLayerNorm.forward(out, outOff, mean, meanOff, rstd, rstdOff, x, xOff, weight, wOff, bias, bOff, rows, c, eps);
  }

  /**
   * Accumulates dx (rows,C) += rstd·(dn − mean(dn) − x̂·mean(dn ⊙ x̂)) with dn = weight ⊙ dout,
   * dweight (C) += Σ_rows dout ⊙ x̂, dbias (C) += Σ_rows dout (dbias may be null), from the saved
   * mean and rstd. math/layernorm.md (6)–(10)
   */
  public static void backward(float[] dx, int dxOff, float[] dweight, int dwOff, float[] dbias, int dbOff,
      float[] dout, int doutOff, float[] x, int xOff, float[] weight, int wOff,
      float[] mean, int meanOff, float[] rstd, int rstdOff, int rows, int c) {
    shape(rows, c);
    Checks.span("dx", dx, dxOff, (long) rows * c);
    Checks.span("dout", dout, doutOff, (long) rows * c);
    Checks.span("x", x, xOff, (long) rows * c);
    Checks.span("dweight", dweight, dwOff, c);
    Checks.span("weight", weight, wOff, c);
    if (dbias != null) Checks.span("dbias", dbias, dbOff, c);
    Checks.span("mean", mean, meanOff, rows);
    Checks.span("rstd", rstd, rstdOff, rows);
    if (Engine.SCALAR)
      RefLayerNorm.backward(dx, dxOff, dweight, dwOff, dbias, dbOff, dout, doutOff, x, xOff, weight, wOff, mean, meanOff, rstd, rstdOff, rows, c);
    else
      SimdLayerNorm.backward(dx, dxOff, dweight, dwOff, dbias, dbOff, dout, doutOff, x, xOff, weight, wOff, mean, meanOff, rstd, rstdOff, rows, c);
  }

  private static void shape(int rows, int c) {
    if (rows < 0 || c < 1) throw new IllegalArgumentException("layer norm: need rows >= 0 and C >= 1, got (" + rows + ", " + c + ")");
  }
}
