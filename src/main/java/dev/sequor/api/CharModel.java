package dev.sequor.api;

import dev.sequor.eval.Evaluation;
import dev.sequor.eval.Evaluator;
import dev.sequor.io.Checkpoint;
import dev.sequor.model.LanguageModel;
import dev.sequor.model.ModelFactory;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.TokenStream;
import dev.sequor.model.Vocabulary;
import dev.sequor.sample.Sampler;
import dev.sequor.sample.SamplingOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A character-level language model with its vocabulary: what a checkpoint holds. Evaluate it on a
 * text, sample from it with a callback per character, stream characters lazily, or read raw
 * next-character logits. Safe to share between threads for evaluation and sampling (each call opens
 * its own stream); not while it is being trained.
 */
public final class CharModel {
  private final Checkpoint checkpoint;

  private CharModel(Checkpoint checkpoint) { this.checkpoint = checkpoint; }

  /** Wraps a loaded or freshly trained checkpoint. */
  public static CharModel of(Checkpoint checkpoint) { return new CharModel(checkpoint); }

  /** Loads a checkpoint of one of the shipped architectures (rnn, gru, lstm, gpt). */
  public static CharModel load(Path checkpoint) throws IOException { return new CharModel(Checkpoint.load(checkpoint)); }

  /** Loads a checkpoint whose architecture {@code factory} knows. */
  public static CharModel load(Path checkpoint, ModelFactory factory) throws IOException {
    return new CharModel(Checkpoint.load(checkpoint, factory));
  }

  /** "rnn", "gru", "lstm" or "gpt". */
  public String arch() { return checkpoint.model().arch(); }

  /** The architecture and sizes. */
  public ModelSpec spec() { return checkpoint.spec(); }

  public Vocabulary vocabulary() { return checkpoint.vocab(); }

  /** The underlying network (parameters, training step, token streams). */
  public LanguageModel network() { return checkpoint.model(); }

  public Checkpoint checkpoint() { return checkpoint; }

  /**
   * Mean cross-entropy on {@code text} with the evaluation semantics of {@link Evaluator}; a
   * character outside the vocabulary is an IllegalArgumentException naming it and its position.
   */
  public Evaluation evaluate(String text) {
    return Evaluator.evaluate(checkpoint.model(), checkpoint.spec(), checkpoint.vocab().encode(text));
  }

  /**
   * Generates {@code tokens} characters after {@code prompt}, handing each to {@code onToken} (may be
   * null) as soon as it is drawn; returns the generated text without the prompt.
   */
  public String sample(String prompt, int tokens, SamplingOptions options, Consumer<String> onToken) {
    return new Sampler(checkpoint.model(), checkpoint.vocab()).generate(prompt, tokens, options, onToken);
  }

  /** An endless lazy stream of generated characters after {@code prompt}: use {@code limit(n)}. */
  public Stream<String> stream(String prompt, SamplingOptions options) {
    Sampler.Generation g = new Sampler(checkpoint.model(), checkpoint.vocab()).start(prompt, options);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(g, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /** A raw token stream: feed tokens (see {@link #vocabulary()}), read next-token logits. */
  public TokenStream openStream() { return checkpoint.model().openStream(); }

  /** Saves the checkpoint atomically. */
  public void save(Path path) throws IOException { checkpoint.save(path); }

  @Override
  public String toString() {
    return arch() + " " + spec().configJson() + ", " + checkpoint.model().params().size() + " parameters, vocabulary " + vocabulary().size();
  }
}
