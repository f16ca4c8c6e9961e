package dev.sequor.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class GemmSmokeTest {
  @Test
  void twoByTwoKnownProduct() {
    float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
    Gemm.nn(c, 0, 2, a, 0, 2, b, 0, 2, 2, 2, 2);
    assertArrayEquals(new float[] {19, 22, 43, 50}, c);
  }

  @Test
  void offsetPastArrayNamesTheOperand() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.nn(new float[4], 0, 2, new float[4], 1, 2, new float[4], 0, 2, 2, 2, 2));
    assertTrue(e.getMessage().startsWith("A:"), e.getMessage());
  }
}
