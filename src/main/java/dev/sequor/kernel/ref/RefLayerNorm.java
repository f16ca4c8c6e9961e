package dev.sequor.kernel.ref;

/** Scalar reference twin of {@link dev.sequor.kernel.simd.SimdLayerNorm}. math/layernorm.md */
public final class RefLayerNorm {
  private RefLayerNorm() {}

  public static void forward(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
      float[] x, int xOff, float[] weight, int wOff, float[] bias, int bOff, int rows, int c, float eps) {
    for (int r = 0; r < rows; r++) {
      int xo = xOff + r * c, oo = outOff + r * c;
      float sum = 0f;
      for (int i = 0; i < c; i++) sum += x[xo + i];
      float m = sum / c;
      float sq = 0f;
      for (int i = 0; i < c; i++) {
        float d = x[xo + i] - m;
        sq = Math.fma(d, d, sq);
      }
      float v = sq / c;
      float s = (float) (1.0 / Math.sqrt((double) v + eps));
      mean[meanOff + r] = m;
      rstd[rstdOff + r] = s;
      for (int i = 0; i < c; i++) {
        float n = (x[xo + i] - m) * s;
        out[oo + i] = bias != null ? Math.fma(n, weight[wOff + i], bias[bOff + i]) : n * weight[wOff + i];
      }
    }
  }

  public static void backward(float[] dx, int dxOff, float[] dweight, int dwOff, float[] dbias, int dbOff,
      float[] dout, int doutOff, float[] x, int xOff, float[] weight, int wOff,
      float[] mean, int meanOff, float[] rstd, int rstdOff, int rows, int c) {
    for (int r = 0; r < rows; r++) {
      int xo = xOff + r * c, go = doutOff + r * c, dxo = dxOff + r * c;
      float m = mean[meanOff + r], s = rstd[rstdOff + r];
      float sumDn = 0f, sumDnXhat = 0f;
      for (int i = 0; i < c; i++) {
        float xhat = (x[xo + i] - m) * s;
        float dn = weight[wOff + i] * dout[go + i];
        sumDn += dn;
        sumDnXhat = Math.fma(dn, xhat, sumDnXhat);
      }
      float meanDn = sumDn / c, meanDnXhat = sumDnXhat / c;
      for (int i = 0; i < c; i++) {
        float xhat = (x[xo + i] - m) * s;
        float g = dout[go + i];
        float dn = weight[wOff + i] * g;
        if (dbias != null) dbias[dbOff + i] += g;
        dweight[dwOff + i] = Math.fma(xhat, g, dweight[dwOff + i]);
        dx[dxo + i] = Math.fma(Math.fma(xhat, -meanDnXhat, dn - meanDn), s, dx[dxo + i]);
      }
    }
  }
}
