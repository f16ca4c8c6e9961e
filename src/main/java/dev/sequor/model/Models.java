package dev.sequor.model;

import dev.sequor.io.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The architectures Sequor ships, by checkpoint {@code arch} name: rnn, gru, lstm and gpt. */
public final class Models implements ModelFactory {
  /** The factory of the four shipped architectures. */
  public static final Models STANDARD = new Models();

  /** The arch names, in the order help texts list them. */
  public static final List<String> ARCHS = List.of("rnn", "gru", "lstm", "gpt");

  private Models() {}

  @Override
  public ModelSpec parse(String arch, String configJson) {
    if (arch == null || !ARCHS.contains(arch))
      throw new IllegalArgumentException("unknown arch '" + arch + "' (expected one of " + String.join(", ", ARCHS) + ")");
    Map<String, Object> c;
    try {
      c = Json.parseObject(configJson);
    } catch (Json.JsonException e) {
      throw new IllegalArgumentException("config of " + arch + " is not a JSON object: " + e.getMessage(), e);
    }
    List<String> required = arch.equals("gpt")
        ? List.of("d_model", "heads", "layers", "context", "bias", "tied")
        : arch.equals("rnn") ? List.of("embed", "hidden", "layers", "nonlinearity") : List.of("embed", "hidden", "layers");
    List<String> missing = new ArrayList<>();
    for (String f : required) if (!c.containsKey(f)) missing.add(f);
    if (!missing.isEmpty())
      throw new IllegalArgumentException("config of " + arch + " is missing required field" + (missing.size() > 1 ? "s " : " ")
          + String.join(", ", missing));
    if (arch.equals("gpt"))
      return new GptSpec(intField(arch, c, "d_model"), intField(arch, c, "heads"), intField(arch, c, "layers"),
          intField(arch, c, "context"), boolField(arch, c, "bias"), boolField(arch, c, "tied"));
    String nl = arch.equals("rnn") ? stringField(arch, c, "nonlinearity") : "tanh";
    return new RecurrentSpec(arch, nl, intField(arch, c, "embed"), intField(arch, c, "hidden"), intField(arch, c, "layers"));
  }

  @Override
  public LanguageModel create(ModelSpec spec, int vocabSize, float dropout, SplittableRandom init) {
    if (vocabSize < 1) throw new IllegalArgumentException("vocabulary size must be >= 1, got " + vocabSize);
    if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    // The architectures land in their own packages (dev.sequor.rnn, dev.sequor.transformer); they
    // are constructed here once merged.
    throw new UnsupportedOperationException("architecture '" + spec.arch() + "' is not available in this build yet");
  }

  static void positive(String arch, String field, int v) {
    if (v < 1) throw new IllegalArgumentException(arch + ": " + field + " must be a positive integer, got " + v);
  }

  private static int intField(String arch, Map<String, Object> c, String f) {
    Object v = c.get(f);
    long n;
    if (v instanceof Long l) n = l;
    else if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) n = (long) (double) d;
    else throw new IllegalArgumentException("config of " + arch + ": \"" + f + "\" must be a positive integer, got " + describe(v));
    if (n < 1 || n > Integer.MAX_VALUE)
      throw new IllegalArgumentException("config of " + arch + ": \"" + f + "\" must be a positive integer, got " + n);
    return (int) n;
  }

  private static boolean boolField(String arch, Map<String, Object> c, String f) {
    if (c.get(f) instanceof Boolean b) return b;
    throw new IllegalArgumentException("config of " + arch + ": \"" + f + "\" must be true or false, got " + describe(c.get(f)));
  }

  private static String stringField(String arch, Map<String, Object> c, String f) {
    if (c.get(f) instanceof String s) return s;
    throw new IllegalArgumentException("config of " + arch + ": \"" + f + "\" must be a string, got " + describe(c.get(f)));
  }

  private static String describe(Object v) {
    String s = Json.write(v instanceof Map || v instanceof List ? Json.typeName(v) : v);
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
