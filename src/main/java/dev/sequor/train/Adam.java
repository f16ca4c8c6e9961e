package dev.sequor.train;

import dev.sequor.kernel.WorkerPool;
import dev.sequor.tensor.ParamStore;
import dev.sequor.tensor.ParamTensor;
import java.util.LinkedHashMap;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adam and AdamW with PyTorch's arithmetic, element for element (math/optimizers.md):
 * AdamW decays decoupled ({@code p ← p·(1 − lr·wd)} before the update), Adam adds {@code wd·p} to
 * the gradient (L2). Weight decay applies only to tensors that {@link ParamTensor#decays()}
 * (matrices and embeddings), nanoGPT's rule. Element-wise only, so lanes and scalar tails give the
 * same bits and the result does not depend on threads: large stores are updated over the worker pool.
 */
public final class Adam implements Optimizer {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private final ParamStore params;
  private final float beta1, beta2, eps, weightDecay;
  private final boolean decoupled;
  private final float[] m, v;
  /** (offset, length) pairs of the ranges that decay; the rest do not. */
  private final int[] ranges;
  private final boolean[] rangeDecays;
  private long t;

  public Adam(ParamStore params, float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
    if (!(eps > 0)) throw new IllegalArgumentException("Adam eps must be > 0, got " + eps);
    if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    this.params = params;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
    this.m = new float[params.size()];
    this.v = new float[params.size()];
    this.ranges = new int[2 * params.tensors().size()];
    this.rangeDecays = new boolean[params.tensors().size()];
    int i = 0;
    for (ParamTensor pt : params.tensors()) {
      ranges[2 * i] = pt.offset();
      ranges[2 * i + 1] = pt.size();
      rangeDecays[i++] = pt.decays();
    }
  }

  @Override
  public String name() { return decoupled ? "adamw" : "adam"; }

  @Override
  public long steps() { return t; }

  @Override
  public Map<String, float[]> state() {
    Map<String, float[]> s = new LinkedHashMap<>();
    s.put("exp_avg", m);
    s.put("exp_avg_sq", v);
    return s;
  }

  @Override
  public void restore(long steps, Map<String, float[]> state) {
    OptimizerState.copyInto(name(), state, "exp_avg", m);
    OptimizerState.copyInto(name(), state, "exp_avg_sq", v);
    t = steps;
  }

  @Override
  public void step(float lr) {
    t++;
    // PyTorch: bias corrections in double, step size and sqrt(bc2) rounded to float by the tensor ops
    double bc1 = 1 - Math.pow(beta1, t);
    double bc2 = 1 - Math.pow(beta2, t);
    float stepSize = (float) (lr / bc1);
    float bc2Sqrt = (float) Math.sqrt(bc2);
    this.lr = lr;
    this.stepSize = stepSize;
    this.bc2Sqrt = bc2Sqrt;
    long n = params.size();
    if (WorkerPool.threads() == 1 || n < PARALLEL_MIN) updateSpan(0, (int) n);
    else WorkerPool.run(job, 2 * WorkerPool.threads());
  }

  /** Below this many parameters the update stays on the caller. */
  private static final long PARALLEL_MIN = 1L << 16;
  // the current step's scalars, read by the parts
  private float lr, stepSize, bc2Sqrt;
  /** Parts of the flat array, on vector boundaries; element-wise, so any split gives the same bits. */
  private final WorkerPool.Job job = this::part;

  private void part(int part, int parts) {
    int vectors = (params.size() + S.length() - 1) / S.length();
    int lo = (int) ((long) vectors * part / parts) * S.length();
    int hi = Math.min(params.size(), (int) ((long) vectors * (part + 1) / parts) * S.length());
    updateSpan(lo, hi);
  }

  // every tensor's part of [lo, hi), with its weight decay
  private void updateSpan(int lo, int hi) {
    for (int r = 0; r < rangeDecays.length; r++) {
      int off = Math.max(lo, ranges[2 * r]), end = Math.min(hi, ranges[2 * r] + ranges[2 * r + 1]);
      if (off >= end) continue;
      float wd = rangeDecays[r] ? weightDecay : 0f;
      update(off, end - off, lr, wd, stepSize, bc2Sqrt);
    }
  }

  // p, m, v over [off, off+n): math/optimizers.md (Adam), (AdamW)
  private void update(int off, int n, float lr, float wd, float stepSize, float bc2Sqrt) {
    float[] p = params.value, g = params.grad;
    float b1 = beta1, b2 = beta2, c1 = 1f - beta1, c2 = 1f - beta2;
    float decayFactor = decoupled ? 1f - lr * wd : 1f;
    float l2 = decoupled ? 0f : wd;
    int i = off, end = off + n, upper = off + S.loopBound(n);
    for (; i < upper; i += S.length()) {
      FloatVector pv = FloatVector.fromArray(S, p, i);
      FloatVector gv = FloatVector.fromArray(S, g, i);
      if (l2 != 0f) gv = gv.add(pv.mul(l2));
      if (decayFactor != 1f) pv = pv.mul(decayFactor);
      FloatVector mv = FloatVector.fromArray(S, m, i).mul(b1).add(gv.mul(c1));
      FloatVector vv = FloatVector.fromArray(S, v, i).mul(b2).add(gv.mul(gv).mul(c2));
      mv.intoArray(m, i);
      vv.intoArray(v, i);
      FloatVector denom = vv.lanewise(VectorOperators.SQRT).div(bc2Sqrt).add(eps);
      pv.add(mv.div(denom).mul(-stepSize)).intoArray(p, i);
    }
    for (; i < end; i++) {
      float gi = g[i], pi = p[i];
      if (l2 != 0f) gi = gi + pi * l2;
      if (decayFactor != 1f) pi = pi * decayFactor;
      float mi = m[i] * b1 + gi * c1;
      float vi = v[i] * b2 + gi * gi * c2;
      m[i] = mi;
      v[i] = vi;
      float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
      p[i] = pi + mi / denom * -stepSize;
    }
  }
}
