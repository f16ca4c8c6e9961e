package dev.sequor.kernel;

/**
 * Double-precision references of the row kernels (softmax, log-softmax, cross-entropy, layer norm),
 * written in the most direct way from math/softmax.md, math/cross-entropy.md and math/layernorm.md.
 */
final class DoubleRef {
  private DoubleRef() {}

  static double[] softmax(float[] x, int off, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
    double[] p = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) sum += p[i] = Math.exp(x[off + i] - max);
    for (int i = 0; i < n; i++) p[i] /= sum;
    return p;
  }

  static double[] logSoftmax(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) max = Math.max(max, v);
    double sum = 0;
    for (double v : x) sum += Math.exp(v - max);
    double lse = max + Math.log(sum);
    double[] r = new double[x.length];
    for (int i = 0; i < x.length; i++) r[i] = x[i] - lse;
    return r;
  }

  /** −log softmax(x)[t] for one row. */
  static double crossEntropy(double[] x, int t) { return -logSoftmax(x)[t]; }

  /** Layer norm of one row: out, and {mean, rstd}. */
  static double[] layerNorm(double[] x, double[] w, double[] b, double eps, double[] meanRstd) {
    int c = x.length;
    double m = 0;
    for (double v : x) m += v;
    m /= c;
    double var = 0;
    for (double v : x) var += (v - m) * (v - m);
    var /= c;
    double s = 1 / Math.sqrt(var + eps);
    if (meanRstd != null) {
      meanRstd[0] = m;
      meanRstd[1] = s;
    }
    double[] out = new double[c];
    for (int i = 0; i < c; i++) out[i] = (x[i] - m) * s * w[i] + (b == null ? 0 : b[i]);
    return out;
  }

  static double[] toDouble(float[] a, int off, int n) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) d[i] = a[off + i];
    return d;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }
}
