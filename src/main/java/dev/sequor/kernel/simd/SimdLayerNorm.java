package dev.sequor.kernel.simd;

import static dev.sequor.kernel.simd.VectorMath.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD layer norm over the last dimension; twin of {@link dev.sequor.kernel.ref.RefLayerNorm}.
 * Validated by the facade {@link dev.sequor.kernel.LayerNorm}. math/layernorm.md
 */
public final class SimdLayerNorm {
  private SimdLayerNorm() {}

  private static final int L = F.length();

  public static void forward(float[] out, int outOff, float[] mean, int meanOff, float[] rstd, int rstdOff,
      float[] x, int xOff, float[] weight, int wOff, float[] bias, int bOff, int rows, int c, float eps) {
    for (int r = 0; r < rows; r++) {
      int xo = xOff + r * c, oo = outOff + r * c;
      // (1)–(3): two-pass mean and biased variance, rstd in double
      float m = SimdReduce.sum(x, xo, c) / c;
      float v = SimdReduce.sumSquaredDeviation(x, xo, c, m) / c;
      float s = (float) (1.0 / Math.sqrt((double) v + eps));
      mean[meanOff + r] = m;
      rstd[rstdOff + r] = s;
      FloatVector vm = FloatVector.broadcast(F, m), vs = FloatVector.broadcast(F, s);
      int i = 0;
      // (4): out = x̂ ⊙ w + b
      if (bias != null) {
        for (; i <= c - L; i += L) {
          FloatVector n = FloatVector.fromArray(F, x, xo + i).sub(vm).mul(vs);
          n.fma(FloatVector.fromArray(F, weight, wOff + i), FloatVector.fromArray(F, bias, bOff + i)).intoArray(out, oo + i);
        }
        for (; i < c; i++) out[oo + i] = Math.fma((x[xo + i] - m) * s, weight[wOff + i], bias[bOff + i]);
      } else {
        for (; i <= c - L; i += L)
          FloatVector.fromArray(F, x, xo + i).sub(vm).mul(vs).mul(FloatVector.fromArray(F, weight, wOff + i)).intoArray(out, oo + i);
        for (; i < c; i++) out[oo + i] = (x[xo + i] - m) * s * weight[wOff + i];
      }
    }
  }

  public static void backward(float[] dx, int dxOff, float[] dweight, int dwOff, float[] dbias, int dbOff,
      float[] dout, int doutOff, float[] x, int xOff, float[] weight, int wOff,
      float[] mean, int meanOff, float[] rstd, int rstdOff, int rows, int c) {
    for (int r = 0; r < rows; r++) {
      int xo = xOff + r * c, go = doutOff + r * c, dxo = dxOff + r * c;
      float m = mean[meanOff + r], s = rstd[rstdOff + r];
      FloatVector vm = FloatVector.broadcast(F, m), vs = FloatVector.broadcast(F, s);
      // (7): the two row means of dn = w ⊙ dout and dn ⊙ x̂
      FloatVector a0 = FloatVector.zero(F), b0 = FloatVector.zero(F);
      int i = 0;
      for (; i <= c - L; i += L) {
        FloatVector xhat = FloatVector.fromArray(F, x, xo + i).sub(vm).mul(vs);
        FloatVector dn = FloatVector.fromArray(F, weight, wOff + i).mul(FloatVector.fromArray(F, dout, go + i));
        a0 = a0.add(dn);
        b0 = dn.fma(xhat, b0);
      }
      float sumDn = a0.reduceLanes(VectorOperators.ADD), sumDnXhat = b0.reduceLanes(VectorOperators.ADD);
      for (; i < c; i++) {
        float xhat = (x[xo + i] - m) * s;
        float dn = weight[wOff + i] * dout[go + i];
        sumDn += dn;
        sumDnXhat = Math.fma(dn, xhat, sumDnXhat);
      }
      float meanDn = sumDn / c, meanDnXhat = sumDnXhat / c;
      FloatVector vmd = FloatVector.broadcast(F, meanDn), vmdx = FloatVector.broadcast(F, -meanDnXhat);
      // (8)–(10): dx += s·(dn − mean(dn) − x̂·mean(dn x̂)), dweight += dout ⊙ x̂, dbias += dout
      i = 0;
      for (; i <= c - L; i += L) {
        FloatVector xhat = FloatVector.fromArray(F, x, xo + i).sub(vm).mul(vs);
        FloatVector g = FloatVector.fromArray(F, dout, go + i);
        FloatVector dn = FloatVector.fromArray(F, weight, wOff + i).mul(g);
        if (dbias != null) FloatVector.fromArray(F, dbias, dbOff + i).add(g).intoArray(dbias, dbOff + i);
        xhat.fma(g, FloatVector.fromArray(F, dweight, dwOff + i)).intoArray(dweight, dwOff + i);
        FloatVector t = xhat.fma(vmdx, dn.sub(vmd));
        t.fma(vs, FloatVector.fromArray(F, dx, dxo + i)).intoArray(dx, dxo + i);
      }
      for (; i < c; i++) {
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
