package dev.sequor.kernel;

import net.jqwik.api.*;
import org.junit.jupiter.api.Assertions;

class GemmSmokeProperties {
  @Property(tries = 50)
  void scalarTimesIdentity(@ForAll("small") float x) {
    float[] c = new float[1];
    Gemm.nn(c, 0, 1, new float[] {x}, 0, 1, new float[] {1f}, 0, 1, 1, 1, 1);
    Assertions.assertEquals(x, c[0]);
  }

  @Provide
  Arbitrary<Float> small() { return Arbitraries.floats().between(-1e3f, 1e3f); }
}
