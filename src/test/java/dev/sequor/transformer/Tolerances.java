package dev.sequor.transformer;

/**
 * Every tolerance of the attention/transformer tests, in one place. A value a passes against a
 * reference b when |a − b| ≤ abs + rel·|b|.
 */
public final class Tolerances {
  private Tolerances() {}

  /** Logits against the float64 PyTorch reference (float32 engine arithmetic). */
  public static final double PARITY_LOGITS_ABS = 2e-5, PARITY_LOGITS_REL = 2e-5;
  /** Mean loss against the PyTorch reference. */
  public static final double PARITY_LOSS_ABS = 1e-5;
  /** Parameter gradients against the PyTorch reference. */
  public static final double PARITY_GRAD_ABS = 2e-6, PARITY_GRAD_REL = 1e-3;

  /** Central-difference gradient checks (float32 forward, loss in double; step GRADCHECK_STEP). */
  public static final double GRADCHECK_STEP = 1e-2, GRADCHECK_ABS = 2e-3, GRADCHECK_REL = 3e-2;

  /** Attention rows sum to one. */
  public static final double ROW_SUM_ABS = 1e-5;
  /** Permuting keys and values together (the softmax sums in another order). */
  public static final double PERMUTATION_ABS = 1e-5, PERMUTATION_REL = 1e-4;
  /** Layer-norm output statistics before the affine part, per unit of conditioning 1 + |mean|/std of the row. */
  public static final double LAYERNORM_MEAN_ABS = 1e-5, LAYERNORM_VAR_ABS = 1e-3;
}
