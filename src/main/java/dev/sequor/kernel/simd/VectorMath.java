package dev.sequor.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector activation functions for use inside fused SIMD loops; twins of
 * {@link dev.sequor.kernel.ref.ScalarMath}. Small static methods: the JIT inlines them into the
 * caller's loop, so vectors do not actually cross a call. PLACEHOLDER: the JDK's lanewise
 * transcendental ops until the project's polynomial approximations land.
 */
public final class VectorMath {
  /** The species every kernel in the engine uses (16 float lanes on AVX-512). */
  public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  private VectorMath() {}

  public static FloatVector exp(FloatVector x) { return x.lanewise(VectorOperators.EXP); }

  public static FloatVector sigmoid(FloatVector x) {
    FloatVector one = FloatVector.broadcast(F, 1f);
    return one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
  }

  public static FloatVector tanh(FloatVector x) { return x.lanewise(VectorOperators.TANH); }
}
