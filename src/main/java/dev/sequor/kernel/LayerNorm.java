package dev.sequor.kernel;

/**
 * Layer normalisation over the last dimension C of (rows, C), PyTorch's F.layer_norm semantics
 * (biased variance). PLACEHOLDER: scalar loops until the SIMD kernels land. math/layernorm.md
 */
public final class LayerNorm {
  private LayerNorm() {}

  // out (rows,C) = (x − mean)·rstd ⊙ weight + bias; saves mean (rows), rstd (rows). bias may be null.
  public static void forward(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
      float[] x, int xOff, float[] weight, int wOff, float[] bias, int bOff, int rows, int c, float eps) {
    Checks.span("out", out, outOff, (long) rows * c);
    Checks.span("x", x, xOff, (long) rows * c);
    Checks.span("mean", mean, meanOff, rows);
    Checks.span("rstd", rstd, rstdOff, rows);
    Checks.span("weight", weight, wOff, c);
    if (bias != null) Checks.span("bias", bias, bOff, c);
    for (int r = 0; r < rows; r++) {
      int xo = xOff + r * c, oo = outOff + r * c;
      float m = 0f;
      for (int i = 0; i < c; i++) m += x[xo + i];
      m /= c;
      float v = 0f;
      for (int i = 0; i < c; i++) { float d = x[xo + i] - m; v += d * d; }
      v /= c;
      float s = (float) (1.0 / Math.sqrt(v + eps));
      for (int i = 0; i < c; i++) {
        float n = (x[xo + i] - m) * s;
        out[oo + i] = n * weight[wOff + i] + (bias == null ? 0f : bias[bOff + i]);
      }
      mean[meanOff + r] = m;
      rstd[rstdOff + r] = s;
    }
  }

  // dx (rows,C) += …, dweight (C) += Σ dout ⊙ xhat, dbias (C) += Σ dout (dbias may be null)
  public static void backward(float[] dx, int dxOff, float[] dweight, int dwOff, float[] dbias, int dbOff,
      float[] dout, int doutOff, float[] x, int xOff, float[] weight, int wOff,
      float[] mean, int meanOff, float[] rstd, int rstdOff, int rows, int c) {
    Checks.span("dx", dx, dxOff, (long) rows * c);
    Checks.span("dout", dout, doutOff, (long) rows * c);
    Checks.span("x", x, xOff, (long) rows * c);
    Checks.span("dweight", dweight, dwOff, c);
    Checks.span("weight", weight, wOff, c);
    if (dbias != null) Checks.span("dbias", dbias, dbOff, c);
    Checks.span("mean", mean, meanOff, rows);
    Checks.span("rstd", rstd, rstdOff, rows);
    for (int r = 0; r < rows; r++) {
      int xo = xOff + r * c, go = doutOff + r * c, dxo = dxOff + r * c;
      float m = mean[meanOff + r], s = rstd[rstdOff + r];
      float dnormMean = 0f, dnormNormMean = 0f;
      for (int i = 0; i < c; i++) {
        float xhat = (x[xo + i] - m) * s;
        float dnorm = weight[wOff + i] * dout[go + i];
        dnormMean += dnorm;
        dnormNormMean += dnorm * xhat;
      }
      dnormMean /= c;
      dnormNormMean /= c;
      for (int i = 0; i < c; i++) {
        float xhat = (x[xo + i] - m) * s;
        float dnorm = weight[wOff + i] * dout[go + i];
        if (dbias != null) dbias[dbOff + i] += dout[go + i];
        dweight[dwOff + i] += xhat * dout[go + i];
        dx[dxo + i] += (dnorm - dnormMean - xhat * dnormNormMean) * s;
      }
    }
  }
}
