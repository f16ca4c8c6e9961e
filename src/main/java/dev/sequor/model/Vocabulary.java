package dev.sequor.model;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * A character vocabulary: token i is the i-th Unicode code point of {@link #asString()}. Built from
 * a text it is the text's distinct code points in increasing order; read from a checkpoint it keeps
 * the checkpoint's order.
 */
public final class Vocabulary {
  private final int[] codePoints;
  private final String string;
  /** token + 1 by code point for code points below {@link #dense}'s length (0 = absent). */
  private final int[] dense;
  /** Code points sorted, and the token of each, for the rest. */
  private final int[] sortedCps;
  private final int[] sortedTokens;

  private Vocabulary(int[] codePoints) {
    if (codePoints.length == 0) throw new IllegalArgumentException("vocabulary is empty");
    this.codePoints = codePoints;
    this.string = new String(codePoints, 0, codePoints.length);
    Integer[] order = new Integer[codePoints.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Integer.compare(codePoints[a], codePoints[b]));
    sortedCps = new int[codePoints.length];
    sortedTokens = new int[codePoints.length];
    for (int i = 0; i < order.length; i++) {
      sortedCps[i] = codePoints[order[i]];
      sortedTokens[i] = order[i];
      if (i > 0 && sortedCps[i] == sortedCps[i - 1])
        throw new IllegalArgumentException("vocabulary repeats " + describe(sortedCps[i]));
    }
    int maxDense = 0;
    for (int cp : codePoints) if (cp < 0x10000) maxDense = Math.max(maxDense, cp + 1);
    dense = new int[maxDense];
    for (int i = 0; i < codePoints.length; i++) if (codePoints[i] < maxDense) dense[codePoints[i]] = i + 1;
  }

  /** The distinct code points of {@code text}, sorted: token i is the i-th smallest. */
  public static Vocabulary of(CharSequence text) {
    TreeSet<Integer> set = new TreeSet<>();
    text.codePoints().forEach(set::add);
    if (set.isEmpty()) throw new IllegalArgumentException("cannot build a vocabulary from an empty text");
    return new Vocabulary(set.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The vocabulary whose i-th code point is token i; its code points must be distinct. */
  public static Vocabulary fromString(String vocab) {
    if (vocab == null || vocab.isEmpty()) throw new IllegalArgumentException("vocabulary is empty");
    return new Vocabulary(vocab.codePoints().toArray());
  }

  public int size() { return codePoints.length; }

  /** The vocabulary as one string (the checkpoint's {@code vocab}). */
  public String asString() { return string; }

  public int codePoint(int token) { return codePoints[token]; }

  /** The token of code point {@code cp}, or -1 if it is not in the vocabulary. */
  public int tokenOf(int cp) {
    if (cp >= 0 && cp < dense.length) return dense[cp] - 1;
    int i = Arrays.binarySearch(sortedCps, cp);
    return i >= 0 ? sortedTokens[i] : -1;
  }

  public boolean contains(int cp) { return tokenOf(cp) >= 0; }

  /**
   * The tokens of {@code text}, one per code point; a code point outside the vocabulary is an
   * IllegalArgumentException naming it and its position (code point index, line and column).
   */
  public int[] encode(CharSequence text) {
    int[] cps = text.codePoints().toArray();
    int[] out = new int[cps.length];
    int line = 1, col = 1;
    for (int i = 0; i < cps.length; i++) {
      int t = tokenOf(cps[i]);
      if (t < 0)
        throw new IllegalArgumentException("character " + describe(cps[i]) + " at position " + i + " (line " + line + ", column " + col
            + ") is not in the model's vocabulary of " + size() + " characters");
      out[i] = t;
      if (cps[i] == '\n') { line++; col = 1; } else col++;
    }
    return out;
  }

  /** The text of {@code tokens}. */
  public String decode(int[] tokens, int off, int len) {
    StringBuilder sb = new StringBuilder(len);
    for (int i = 0; i < len; i++) sb.appendCodePoint(codePoints[tokens[off + i]]);
    return sb.toString();
  }

  /** The text of one token. */
  public String decode(int token) { return new String(codePoints, token, 1); }

  /** {@code 'x' (U+0078)}, with control characters shown only by their code. */
  public static String describe(int cp) {
    String u = String.format("U+%04X", cp);
    return Character.isISOControl(cp) || Character.isWhitespace(cp) ? u : "'" + new String(Character.toChars(cp)) + "' (" + u + ")";
  }

  @Override
  public boolean equals(Object o) { return o instanceof Vocabulary v && v.string.equals(string); }

  @Override
  public int hashCode() { return string.hashCode(); }

  @Override
  public String toString() { return "Vocabulary(" + size() + " characters)"; }
}
