package dev.sequor.sample;

import dev.sequor.model.LanguageModel;
import dev.sequor.model.TokenStream;
import dev.sequor.model.Vocabulary;
import java.util.function.Consumer;

/**
 * Generates text from a model: feeds the prompt, then draws one character at a time with a
 * {@link TokenPicker}, handing each to a callback as soon as it is drawn.
 */
public final class Sampler {
  private final LanguageModel model;
  private final Vocabulary vocab;

  public Sampler(LanguageModel model, Vocabulary vocab) {
    if (model.vocabSize() != vocab.size())
      throw new IllegalArgumentException("model has " + model.vocabSize() + " tokens, vocabulary " + vocab.size());
    this.model = model;
    this.vocab = vocab;
  }

  /**
   * Generates {@code tokens} characters after {@code prompt}, calling {@code onToken} with each;
   * returns the generated text (without the prompt). An empty prompt starts from a newline when
   * the vocabulary has one, else from token 0 (neither is part of the output). A prompt character
   * outside the vocabulary is an IllegalArgumentException naming it and its position.
   */
  public String generate(String prompt, int tokens, SamplingOptions opts, Consumer<String> onToken) {
    if (tokens < 0) throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
    Generation g = start(prompt, opts);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < tokens; i++) {
      String s = g.next();
      out.append(s);
      if (onToken != null) onToken.accept(s);
    }
    return out.toString();
  }

  /** A lazy generation after {@code prompt}: each {@link Generation#next()} draws one more character. */
  public Generation start(String prompt, SamplingOptions opts) {
    int[] promptTokens = vocab.encode(prompt == null ? "" : prompt);
    if (promptTokens.length == 0) {
      int nl = vocab.tokenOf('\n');
      promptTokens = new int[] {nl >= 0 ? nl : 0};
    }
    TokenStream stream = model.openStream();
    float[] logits = new float[vocab.size()];
    stream.feed(promptTokens, 0, promptTokens.length, logits);
    return new Generation(stream, logits, new TokenPicker(vocab.size(), opts), vocab);
  }

  /** An endless iterator of generated characters. */
  public static final class Generation implements java.util.Iterator<String> {
    private final TokenStream stream;
    private final float[] logits;
    private final TokenPicker picker;
    private final Vocabulary vocab;

    Generation(TokenStream stream, float[] logits, TokenPicker picker, Vocabulary vocab) {
      this.stream = stream;
      this.logits = logits;
      this.picker = picker;
      this.vocab = vocab;
    }

    @Override
    public boolean hasNext() { return true; }

    /** Draws the next character (as a string: one code point) and feeds it back to the model. */
    @Override
    public String next() { return vocab.decode(nextToken()); }

    /** Draws the next token and feeds it back to the model. */
    public int nextToken() {
      int tok = picker.pick(logits);
      stream.feed(tok, logits);
      return tok;
    }
  }
}
