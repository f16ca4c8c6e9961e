package dev.sequor.train;

import dev.sequor.kernel.Vec;
import dev.sequor.tensor.ParamStore;

/**
 * Global-norm gradient clipping (PyTorch's {@code clip_grad_norm_}, math/optimizers.md (clip)):
 * when ‖g‖₂ over all parameters exceeds {@code maxNorm}, every gradient is scaled by
 * {@code maxNorm / (‖g‖ + 1e-6)}. The norm is one sum of squares over the flat gradient array in
 * index order, so it does not depend on the thread count.
 */
public final class GradClip {
  private GradClip() {}

  /** The global L2 norm of {@code params.grad}. */
  public static double norm(ParamStore params) {
    return Math.sqrt(Vec.sumSquares(params.grad, 0, params.size()));
  }

  /** Clips in place when {@code maxNorm > 0}; returns the norm before clipping (NaN/∞ pass through, unclipped). */
  public static double clip(ParamStore params, double maxNorm) {
    double norm = norm(params);
    if (maxNorm > 0 && Double.isFinite(norm) && norm > maxNorm) {
      float scale = (float) (maxNorm / (norm + 1e-6));
      Vec.scale(params.grad, 0, scale, params.size());
    }
    return norm;
  }
}
