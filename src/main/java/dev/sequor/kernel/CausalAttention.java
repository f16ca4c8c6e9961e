package dev.sequor.kernel;

import dev.sequor.kernel.ref.RefCausalAttention;
import dev.sequor.kernel.simd.SimdCausalAttention;

/**
 * Fused causal self-attention, {@code y = softmax(q kᵀ · scale, causal) v} per (sequence, head), on a
 * GPT's fused projection: rows {@code b·T + i} of a (B·T, 3C) buffer hold head h's query at columns
 * {@code h·hd}, key at {@code C + h·hd}, value at {@code 2C + h·hd} (nanoGPT's {@code c_attn} split).
 * One call covers all B·NH heads of a batch, in parallel over the {@link WorkerPool} (each head is one
 * part; parts never share an output, so results do not depend on the thread count). math/attention.md
 *
 * <p>Row by row: query i's scores are FMA chains over d in order (from 0), times {@code scale}, then
 * {@link Softmax}'s row softmax over keys 0..i; its output an FMA chain over the visible keys in order.
 * Only the causal triangle is computed. The KV-cached row version ({@link #forwardCached}) does the
 * same arithmetic, so a row computed against a cache equals the batched row bit for bit. The scalar
 * path ({@link Engine#SCALAR}) sums sequentially and agrees to float round-off.
 */
public final class CausalAttention {
  private CausalAttention() {}

  /** The 1/√hd score scale rounded to float, as nanoGPT's {@code 1.0 / math.sqrt(k.size(-1))}. */
  public static float scale(int hd) { return (float) (1.0 / Math.sqrt(hd)); }

  /**
   * qkv (B·T, 3·NH·hd) -> y (B·T, ldy), head h at columns h·hd (overwritten); saves probs (B,NH,T,T)
   * (row i: the weights of keys 0..i, zeros after) unless probs is null (inference). With dropMask
   * (B,NH,T,T) non-null the weights used are dropped = probs ⊙ dropMask (saved); otherwise dropped may
   * be null.
   */
  public static void forward(float[] y, int yOff, int ldy, float[] probs, int pOff, float[] dropped, int dOff,
      float[] dropMask, int mOff, float[] qkv, int qkvOff, int batch, int heads, int t, int hd) {
    check(batch, heads, t, hd);
    int c = heads * hd, n = batch * t, size = batch * heads * t * t;
    if (ldy < c) throw new IllegalArgumentException("attention: ldy " + ldy + " < C " + c);
    Checks.span("y", y, yOff, (long) (n - 1) * ldy + c);
    Checks.span("qkv", qkv, qkvOff, (long) n * 3 * c);
    if (probs != null) Checks.span("probs", probs, pOff, size);
    if (dropMask != null) {
      if (probs == null) throw new IllegalArgumentException("attention: dropout needs the probs buffer");
      Checks.span("dropMask", dropMask, mOff, size);
      Checks.span("dropped", dropped, dOff, size);
    }
    Job job = Job.LOCAL.get();
    job.set(false, y, yOff, ldy, probs, pOff, dropped, dOff, dropMask, mOff, qkv, qkvOff, null, 0, heads, t, hd);
    try {
      run(job, batch * heads);
    } finally {
      job.clear();
    }
  }

  /**
   * dy (B·T, lddy), head h at columns h·hd -> dqkv (B·T, 3C) += the gradients of q, k and v (in their
   * columns; with {@code accumulate} false they overwrite it), from what {@link #forward} saved (probs;
   * dropMask and dropped when it had dropout).
   */
  public static void backward(float[] dqkv, int dqkvOff, boolean accumulate, float[] dy, int dyOff, int lddy, float[] qkv, int qkvOff,
      float[] probs, int pOff, float[] dropped, int dOff, float[] dropMask, int mOff, int batch, int heads, int t, int hd) {
    check(batch, heads, t, hd);
    int c = heads * hd, n = batch * t, size = batch * heads * t * t;
    if (lddy < c) throw new IllegalArgumentException("attention: lddy " + lddy + " < C " + c);
    Checks.span("dy", dy, dyOff, (long) (n - 1) * lddy + c);
    Checks.span("qkv", qkv, qkvOff, (long) n * 3 * c);
    Checks.span("dqkv", dqkv, dqkvOff, (long) n * 3 * c);
    Checks.span("probs", probs, pOff, size);
    if (dropMask != null) {
      Checks.span("dropMask", dropMask, mOff, size);
      Checks.span("dropped", dropped, dOff, size);
    }
    Job job = Job.LOCAL.get();
    job.set(true, dy, dyOff, lddy, probs, pOff, dropped, dOff, dropMask, mOff, qkv, qkvOff, dqkv, dqkvOff, heads, t, hd);
    job.accumulate = accumulate;
    try {
      run(job, batch * heads);
    } finally {
      job.clear();
    }
  }

  /**
   * One head against a KV cache, no dropout, nothing saved: queries q (t,hd) ld ldq at positions
   * firstPos..firstPos+t-1, keys stored transposed kᵀ (hd, ·) ld ldk, values v (·,hd) ld ldv ->
   * y (t,hd) ld ldy. Row for row bit-identical to {@link #forward}.
   */
  public static void forwardCached(float[] y, int yOff, int ldy, float[] q, int qOff, int ldq,
      float[] kT, int kOff, int ldk, float[] v, int vOff, int ldv, int firstPos, int t, int hd) {
    if (t < 1 || hd < 1 || firstPos < 0)
      throw new IllegalArgumentException("attention: need t >= 1, hd >= 1, firstPos >= 0; got " + t + ", " + hd + ", " + firstPos);
    int s = firstPos + t;
    if (ldk < s) throw new IllegalArgumentException("attention: " + s + " keys do not fit ldk " + ldk);
    Checks.matrix("y", y, yOff, ldy, t, hd);
    Checks.matrix("q", q, qOff, ldq, t, hd);
    Checks.matrix("kT", kT, kOff, ldk, hd, s);
    Checks.matrix("v", v, vOff, ldv, s, hd);
    Scratch sc = Scratch.LOCAL.get();
    int tp = SimdCausalAttention.padded(s);
    sc.ensure(hd, tp, 1);
    for (int d = 0; d < hd; d++) System.arraycopy(kT, kOff + d * ldk, sc.kT, d * tp, s);
    float scale = scale(hd);
    if (Engine.SCALAR)
      RefCausalAttention.forward(y, yOff, ldy, null, 0, 0, null, 0, null, 0, q, qOff, ldq, sc.kT, tp, v, vOff, ldv, firstPos, t, hd, scale, sc.row);
    else
      SimdCausalAttention.forward(y, yOff, ldy, null, 0, 0, null, 0, null, 0, q, qOff, ldq, sc.kT, tp, v, vOff, ldv, firstPos, t, hd, scale, sc.row);
  }

  private static void check(int batch, int heads, int t, int hd) {
    if (batch < 1 || heads < 1 || t < 1 || hd < 1)
      throw new IllegalArgumentException("attention: need batch, heads, T, hd >= 1; got " + batch + ", " + heads + ", " + t + ", " + hd);
  }

  private static void run(Job job, int parts) {
    if (Engine.SCALAR) for (int p = 0; p < parts; p++) job.run(p, parts);
    else WorkerPool.run(job, parts);
  }

  /** Per-thread scratch: a transposed head (hd, tp), score rows, a dS block (T, tp); grown once per shape. */
  private static final class Scratch {
    static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
    float[] kT = new float[0], row = new float[0], dS = new float[0];

    void ensure(int hd, int tp, int t) {
      if (kT.length < hd * tp) kT = new float[hd * tp];
      if (row.length < SimdCausalAttention.rowScratch(tp)) row = new float[SimdCausalAttention.rowScratch(tp)];
      if (dS.length < t * tp) dS = new float[t * tp];
    }
  }

  /** One head (b, h) of a batched forward or backward. */
  private static final class Job implements WorkerPool.Job {
    static final ThreadLocal<Job> LOCAL = ThreadLocal.withInitial(Job::new);
    boolean backward, accumulate;
    float[] y, probs, dropped, mask, qkv, dqkv;
    int yOff, ldy, pOff, dOff, mOff, qkvOff, dqkvOff, heads, t, hd;

    void set(boolean backward, float[] y, int yOff, int ldy, float[] probs, int pOff, float[] dropped, int dOff,
        float[] mask, int mOff, float[] qkv, int qkvOff, float[] dqkv, int dqkvOff, int heads, int t, int hd) {
      this.backward = backward; this.y = y; this.yOff = yOff; this.ldy = ldy; this.probs = probs; this.pOff = pOff;
      this.dropped = dropped; this.dOff = dOff; this.mask = mask; this.mOff = mOff; this.qkv = qkv; this.qkvOff = qkvOff;
      this.dqkv = dqkv; this.dqkvOff = dqkvOff; this.heads = heads; this.t = t; this.hd = hd;
    }

    void clear() { y = probs = dropped = mask = qkv = dqkv = null; }

    @Override
    public void run(int part, int parts) {
      // consecutive parts (claimed at the same time by different threads) take different sequences, so
      // they never write neighbouring columns of the same rows (no false sharing of cache lines)
      int batch = parts / heads, b = part % batch, h = part / batch, c = heads * hd, c3 = 3 * c;
      int rows = qkvOff + b * t * c3, slot = (b * heads + h) * t * t;
      int q = rows + h * hd, k = rows + c + h * hd, v = rows + 2 * c + h * hd;
      int yo = yOff + b * t * ldy + h * hd;
      int tp = SimdCausalAttention.padded(t);
      float scale = scale(hd);
      Scratch s = Scratch.LOCAL.get();
      s.ensure(hd, tp, backward ? t : 1);
      boolean drop = mask != null;
      if (!backward) {
        if (Engine.SCALAR) {
          RefCausalAttention.transpose(s.kT, tp, qkv, k, c3, t, hd);
          RefCausalAttention.forward(y, yo, ldy, probs, pOff + slot, t, dropped, dOff + slot, drop ? mask : null, mOff + slot,
              qkv, q, c3, s.kT, tp, qkv, v, c3, 0, t, hd, scale, s.row);
        } else {
          SimdCausalAttention.transpose(s.kT, tp, qkv, k, c3, t, hd);
          SimdCausalAttention.forward(y, yo, ldy, probs, pOff + slot, t, dropped, dOff + slot, drop ? mask : null, mOff + slot,
              qkv, q, c3, s.kT, tp, qkv, v, c3, 0, t, hd, scale, s.row);
        }
      } else {
        int drows = dqkvOff + b * t * c3;
        int dq = drows + h * hd, dk = drows + c + h * hd, dv = drows + 2 * c + h * hd;
        if (Engine.SCALAR)
          RefCausalAttention.backward(dqkv, dq, dqkv, dk, dqkv, dv, c3, y, yo, ldy, qkv, q, qkv, k, qkv, v, c3,
              probs, pOff + slot, t, dropped, dOff + slot, drop ? mask : null, mOff + slot, t, hd, scale, accumulate, s.kT, tp, s.row, s.dS);
        else
          SimdCausalAttention.backward(dqkv, dq, dqkv, dk, dqkv, dv, c3, y, yo, ldy, qkv, q, qkv, k, qkv, v, c3,
              probs, pOff + slot, t, dropped, dOff + slot, drop ? mask : null, mOff + slot, t, hd, scale, accumulate, s.kT, tp, s.row, s.dS);
      }
    }
  }
}
