package dev.sequor.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.model.Vocabulary;
import org.junit.jupiter.api.Test;

class WindowsTest {
  static int[] ramp(int n) {
    int[] d = new int[n];
    for (int i = 0; i < n; i++) d[i] = i;
    return d;
  }

  @Test
  void randomWindowsAreShiftedByOneAndAFunctionOfTheStep() {
    int[] data = ramp(100);
    Windows w = new Windows.Random(data, 4, 8, 42);
    int[] in = new int[32], tg = new int[32], in2 = new int[32], tg2 = new int[32];
    w.fill(17, in, tg);
    for (int i = 0; i < 32; i++) assertEquals(in[i] + 1, tg[i]);
    for (int b = 0; b < 4; b++) assertTrue(in[b * 8] >= 0 && in[b * 8] + 8 < 100);
    new Windows.Random(data, 4, 8, 42).fill(17, in2, tg2);
    assertArrayEquals(in, in2);
    w.fill(18, in2, tg2);
    assertFalse(java.util.Arrays.equals(in, in2));
  }

  @Test
  void streamsContinueWindowAfterWindowAndWrap() {
    int[] data = ramp(101); // 100 predictions, 2 streams of 50, windows of 20: 2 per epoch
    Windows w = new Windows.Streams(data, 2, 20);
    int[] in = new int[40], tg = new int[40];
    w.fill(0, in, tg);
    assertEquals(0, in[0]);
    assertEquals(50, in[20]);
    w.fill(1, in, tg);
    assertEquals(20, in[0]);
    assertEquals(70, in[20]);
    assertEquals(90, tg[39]);
    w.fill(2, in, tg);
    assertEquals(0, in[0]);
    assertTrue(w.resetsCarry(0) && !w.resetsCarry(1) && w.resetsCarry(2));
  }

  @Test
  void splitsNinetyTen() {
    TextData d = TextData.of("abcdefghij".repeat(10));
    assertEquals(90, d.train().length);
    assertEquals(10, d.val().length);
    assertEquals(10, d.vocab().size());
    assertEquals("abcdefghij", d.vocab().asString());
  }

  @Test
  void vocabularyIsSortedCodePointsAndNamesUnknownCharacters() {
    Vocabulary v = Vocabulary.of("ba\nc𝄞a");
    assertEquals("\nabc𝄞", v.asString());
    assertEquals(5, v.size());
    assertArrayEquals(new int[] {2, 1, 0, 3, 4, 1}, v.encode("ba\nc𝄞a"));
    assertEquals("𝄞", v.decode(4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("ab\ncz"));
    assertEquals("character 'z' (U+007A) at position 4 (line 2, column 2) is not in the model's vocabulary of 5 characters", e.getMessage());
  }
}
