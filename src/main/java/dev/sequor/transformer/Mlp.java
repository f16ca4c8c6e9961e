package dev.sequor.transformer;

import dev.sequor.attention.Linear;
import dev.sequor.kernel.Activations;
import dev.sequor.tensor.ParamStore;
import java.util.Arrays;

/**
 * nanoGPT's {@code MLP}: {@code c_proj(gelu(c_fc(u)))}, c_fc (4C, C), exact (erf) GELU, c_proj (C, 4C).
 * Dropout on its output belongs to the block (the residual-path dropout). math/gelu.md
 */
final class Mlp {
  final int c, hidden;
  final int fcW, fcB, projW, projB;

  Mlp(int c, int fcW, int fcB, int projW, int projB) {
    this.c = c;
    this.hidden = 4 * c;
    this.fcW = fcW; this.fcB = fcB; this.projW = projW; this.projB = projB;
  }

  /** Declares {@code prefix + "c_fc.weight"} etc. in nanoGPT's order. */
  static Mlp declare(ParamStore.Builder b, String prefix, int c, boolean bias) {
    int fcW = b.add(prefix + "c_fc.weight", 4 * c, c);
    int fcB = bias ? b.add(prefix + "c_fc.bias", 4 * c) : Linear.NO_BIAS;
    int prW = b.add(prefix + "c_proj.weight", c, 4 * c);
    int prB = bias ? b.add(prefix + "c_proj.bias", c) : Linear.NO_BIAS;
    return new Mlp(c, fcW, fcB, prW, prB);
  }

  // u (n,C) -> out (n,C); saves fc (n,4C) pre-activation, ge (n,4C) = gelu(fc) and, when grad is
  // non-null (training), grad (n,4C) = gelu'(fc) for the backward
  void forward(float[] out, int outOff, float[] fc, int fcOff, float[] ge, int geOff, float[] grad, int gradOff,
      float[] u, int uOff, float[] p, int n, RowJobs jobs) {
    Linear.forward(fc, fcOff, p, fcW, fcB, u, uOff, n, c, hidden);
    if (StepPhases.ON) StepPhases.lap(StepPhases.F_FC);
    jobs.gelu(ge, geOff, grad, gradOff, fc, fcOff, n * hidden);
    if (StepPhases.ON) StepPhases.lap(StepPhases.F_GELU);
    Linear.forward(out, outOff, p, projW, projB, ge, geOff, n, hidden, c);
    if (StepPhases.ON) StepPhases.lap(StepPhases.F_MPROJ);
  }

  // the same with the weights read transposed from pt (decoding; Linear.forwardTransposed), bit-identical
  void forwardTransposed(float[] out, int outOff, float[] fc, int fcOff, float[] ge, int geOff, float[] u, int uOff,
      float[] p, float[] pt, int n) {
    Linear.forwardTransposed(fc, fcOff, pt, fcW, p, fcB, u, uOff, n, c, hidden);
    Activations.gelu(ge, geOff, fc, fcOff, n * hidden);
    Linear.forwardTransposed(out, outOff, pt, projW, p, projB, ge, geOff, n, hidden, c);
  }

  // dout (n,C) -> du (n,C) +=, parameter grads g +=; dGe, dFc (n,4C) scratch (overwritten). Needs the
  // forward's u, ge and grad = gelu'(fc).
  void backward(float[] du, int duOff, float[] g, float[] dGe, int dGeOff, float[] dFc, int dFcOff,
      float[] dout, int doutOff, float[] u, int uOff, float[] grad, int gradOff, float[] ge, int geOff, float[] p, int n,
      RowJobs jobs) {
    int nh = n * hidden;
    Arrays.fill(dGe, dGeOff, dGeOff + nh, 0f);
    Linear.backward(dGe, dGeOff, g, projW, projB, dout, doutOff, ge, geOff, p, n, hidden, c);
    if (StepPhases.ON) StepPhases.lap(StepPhases.B_MPROJ);
    jobs.geluBackward(dFc, dFcOff, grad, gradOff, dGe, dGeOff, nh); // math/gelu.md (10)
    if (StepPhases.ON) StepPhases.lap(StepPhases.B_GELU);
    Linear.backward(du, duOff, g, fcW, fcB, dFc, dFcOff, u, uOff, p, n, c, hidden);
    if (StepPhases.ON) StepPhases.lap(StepPhases.B_FC);
  }
}
