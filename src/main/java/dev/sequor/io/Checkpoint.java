package dev.sequor.io;

import dev.sequor.model.LanguageModel;
import dev.sequor.model.ModelFactory;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.Models;
import dev.sequor.model.Vocabulary;
import dev.sequor.tensor.ParamStore;
import dev.sequor.tensor.ParamTensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model with its vocabulary, as stored in a checkpoint: one safetensors file whose
 * {@code __metadata__} holds {@code arch}, {@code vocab} (token i = the i-th code point) and
 * {@code config} (a JSON object), and whose tensors are the model's parameters under their
 * PyTorch / nanoGPT names, written as F32 (F32 and BF16 are read).
 *
 * <p>Loading validates the file completely before building a model: the safetensors layout (see
 * {@link Safetensors}), the three metadata strings, the config (required fields named when
 * missing), and the exact set of tensors and their shapes against the config. Every defect is a
 * {@link CheckpointFormatException} naming the file and what is wrong.
 */
public record Checkpoint(ModelSpec spec, Vocabulary vocab, LanguageModel model) {
  public static final String ARCH = "arch";
  public static final String VOCAB = "vocab";
  public static final String CONFIG = "config";

  /** Loads a checkpoint of one of the shipped architectures. */
  public static Checkpoint load(Path path) throws IOException { return load(path, Models.STANDARD); }

  /** Loads a checkpoint whose architectures {@code factory} knows. */
  public static Checkpoint load(Path path, ModelFactory factory) throws IOException {
    return fromContents(Safetensors.read(path), path.toString(), factory, 0f);
  }

  /** Loads a checkpoint held in memory; {@code source} names it in messages. */
  public static Checkpoint read(ByteBuffer file, String source, ModelFactory factory) {
    return fromContents(Safetensors.read(file, source), source, factory, 0f);
  }

  /** Loads a checkpoint held in memory into a model that trains with {@code dropout} (resuming a run). */
  public static Checkpoint read(ByteBuffer file, String source, ModelFactory factory, float dropout) {
    return fromContents(Safetensors.read(file, source), source, factory, dropout);
  }

  private static Checkpoint fromContents(Safetensors.Contents c, String source, ModelFactory factory, float dropout) {
    Map<String, String> meta = c.metadata();
    List<String> missing = new ArrayList<>();
    for (String k : List.of(ARCH, VOCAB, CONFIG)) if (!meta.containsKey(k)) missing.add(k);
    if (!missing.isEmpty())
      throw new CheckpointFormatException(source + ": __metadata__ is missing " + String.join(", ", missing));
    Vocabulary vocab;
    ModelSpec spec;
    LinkedHashMap<String, int[]> expected;
    try {
      vocab = Vocabulary.fromString(meta.get(VOCAB));
      spec = factory.parse(meta.get(ARCH), meta.get(CONFIG));
      if (spec.tensorCount() > c.tensors().size() + 64L)
        throw new CheckpointFormatException(source + ": config implies " + spec.tensorCount()
            + " tensors but the file holds " + c.tensors().size());
      expected = spec.tensorShapes(vocab.size());
    } catch (CheckpointFormatException e) {
      throw e;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CheckpointFormatException(source + ": " + e.getMessage(), e);
    }
    checkTensors(source, c.tensors(), expected);

    LanguageModel model = factory.create(spec, vocab.size(), dropout, null);
    ParamStore store = model.params();
    for (ParamTensor t : store.tensors()) {
      int[] want = expected.get(t.name());
      if (want == null || !Arrays.equals(want, t.shape()))
        throw new IllegalStateException(spec.arch() + " declares parameter '" + t.name() + "' " + t.shapeString()
            + " but the checkpoint contract says " + (want == null ? "no such tensor" : Arrays.toString(want)));
    }
    if (store.tensors().size() != expected.size())
      throw new IllegalStateException(spec.arch() + " declares " + store.tensors().size() + " parameters, the checkpoint contract " + expected.size());
    for (ParamTensor t : store.tensors()) c.tensors().get(t.name()).copyTo(store.value, t.offset());
    return new Checkpoint(spec, vocab, model);
  }

  private static void checkTensors(String source, Map<String, SafeTensor> found, Map<String, int[]> expected) {
    List<String> problems = new ArrayList<>();
    for (var e : expected.entrySet()) {
      SafeTensor t = found.get(e.getKey());
      if (t == null) problems.add("missing tensor '" + e.getKey() + "' " + Arrays.toString(e.getValue()));
      else if (!Arrays.equals(t.shape(), e.getValue()))
        problems.add("tensor '" + e.getKey() + "' has shape " + t.shapeString() + " but the config needs " + Arrays.toString(e.getValue()));
    }
    for (String name : found.keySet())
      if (!expected.containsKey(name)) problems.add("unexpected tensor '" + name + "'");
    if (problems.isEmpty()) return;
    int shown = Math.min(problems.size(), 5);
    String more = problems.size() > shown ? " (and " + (problems.size() - shown) + " more)" : "";
    throw new CheckpointFormatException(source + ": " + String.join("; ", problems.subList(0, shown)) + more);
  }

  /** The metadata this checkpoint writes. */
  public Map<String, String> metadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ARCH, model.arch());
    m.put(VOCAB, vocab.asString());
    m.put(CONFIG, model.configJson());
    return m;
  }

  /** Writes the checkpoint (F32) to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    ParamStore store = model.params();
    List<Safetensors.F32Tensor> tensors = new ArrayList<>();
    for (ParamTensor t : store.tensors()) tensors.add(new Safetensors.F32Tensor(t.name(), t.shape(), store.value, t.offset()));
    Safetensors.write(out, metadata(), tensors);
  }

  /** Saves atomically: a crash mid-save leaves any previous file at {@code path} intact. */
  public void save(Path path) throws IOException { AtomicFiles.write(path, this::writeTo); }
}
