package dev.sequor.train;

import dev.sequor.model.Vocabulary;
import java.util.Arrays;

/**
 * A text as tokens, split as nanoGPT splits it: the first ⌊0.9·N⌋ code points train, the rest
 * validate.
 */
public final class TextData {
  private final Vocabulary vocab;
  private final int[] train, val;

  private TextData(Vocabulary vocab, int[] tokens) {
    this.vocab = vocab;
    int split = (int) (tokens.length * 0.9);
    this.train = Arrays.copyOfRange(tokens, 0, split);
    this.val = Arrays.copyOfRange(tokens, split, tokens.length);
  }

  /** The text with a vocabulary of its own distinct code points. */
  public static TextData of(String text) {
    Vocabulary v = Vocabulary.of(text);
    return new TextData(v, v.encode(text));
  }

  /** The text in an existing vocabulary (resuming a run); a character outside it is an error naming it. */
  public static TextData of(String text, Vocabulary vocab) { return new TextData(vocab, vocab.encode(text)); }

  public Vocabulary vocab() { return vocab; }

  /** The training tokens (first 90%); do not modify. */
  public int[] train() { return train; }

  /** The validation tokens (last 10%); do not modify. */
  public int[] val() { return val; }
}
