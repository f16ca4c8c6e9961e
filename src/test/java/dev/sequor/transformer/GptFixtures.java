package dev.sequor.transformer;

import dev.sequor.tensor.ParamStore;
import dev.sequor.tensor.ParamTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the fixtures written by tools/fixtures/gpt_fixtures.py (see its docstring for the format). */
final class GptFixtures {
  private GptFixtures() {}

  record Case(String name, GptConfig config, int vocab, int batch, int seq, int seed, int[] inputs, int[] targets,
      double loss, List<String> params, float[] logits, float[] grads) {
    @Override public String toString() { return name; }
  }

  static List<Case> load() throws IOException {
    String index = new String(resource("cases.txt"), StandardCharsets.UTF_8);
    List<Case> cases = new ArrayList<>();
    String name = null;
    String[] config = null, shape = null;
    int seed = 0;
    int[] inputs = null, targets = null;
    double loss = 0;
    for (String line : index.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] f = line.trim().split(" ");
      switch (f[0]) {
        case "case" -> name = f[1];
        case "config" -> config = f;
        case "shape" -> shape = f;
        case "seed" -> seed = Integer.parseInt(f[1]);
        case "inputs" -> inputs = ints(f);
        case "targets" -> targets = ints(f);
        case "loss" -> loss = Double.parseDouble(f[1]);
        case "params" -> {
          GptConfig cfg = new GptConfig(Integer.parseInt(config[1]), Integer.parseInt(config[2]), Integer.parseInt(config[3]),
              Integer.parseInt(config[4]), Boolean.parseBoolean(config[5]), Boolean.parseBoolean(config[6]), 0f);
          int vocab = Integer.parseInt(shape[1]), batch = Integer.parseInt(shape[2]), seq = Integer.parseInt(shape[3]);
          ByteBuffer bb = ByteBuffer.wrap(resource(name + ".bin")).order(ByteOrder.LITTLE_ENDIAN);
          float[] all = new float[bb.remaining() / 4];
          bb.asFloatBuffer().get(all);
          int nl = batch * seq * vocab;
          cases.add(new Case(name, cfg, vocab, batch, seq, seed, inputs, targets, loss,
              Arrays.asList(Arrays.copyOfRange(f, 1, f.length)),
              Arrays.copyOfRange(all, 0, nl), Arrays.copyOfRange(all, nl, all.length)));
        }
        default -> throw new IOException("cases.txt: unknown line " + f[0]);
      }
    }
    return cases;
  }

  /** The fixture script's deterministic parameter values (fmix32 hash of flat index and seed). */
  static void fill(ParamStore store, int seed) {
    for (ParamTensor t : store.tensors())
      for (int i = 0; i < t.size(); i++) {
        int flat = t.offset() + i;
        store.value[flat] = (float) initValue(t.name(), hashed(flat, seed));
      }
  }

  static double hashed(long index, long seed) {
    long h = (index * 0x9E3779B1L + seed * 0x7F4A7C15L + 1) & 0xFFFFFFFFL;
    return fmix32(h) / 4294967296.0 - 0.5;
  }

  private static long fmix32(long h) {
    h ^= h >>> 16;
    h = (h * 0x85EBCA6BL) & 0xFFFFFFFFL;
    h ^= h >>> 13;
    h = (h * 0xC2B2AE35L) & 0xFFFFFFFFL;
    h ^= h >>> 16;
    return h;
  }

  private static double initValue(String name, double u) {
    if (name.endsWith("ln_1.weight") || name.endsWith("ln_2.weight") || name.endsWith("ln_f.weight")) return 1.0 + 0.4 * u;
    if (name.endsWith(".bias")) return 0.2 * u;
    if (name.contains("wte") || name.contains("wpe")) return 1.0 * u;
    return 0.6 * u;
  }

  private static int[] ints(String[] f) {
    int[] r = new int[f.length - 1];
    for (int i = 1; i < f.length; i++) r[i - 1] = Integer.parseInt(f[i]);
    return r;
  }

  private static byte[] resource(String file) throws IOException {
    try (InputStream in = GptFixtures.class.getResourceAsStream("/fixtures/gpt/" + file)) {
      if (in == null) throw new IOException("missing fixture /fixtures/gpt/" + file + " (run tools/fixtures/gpt_fixtures.py)");
      return in.readAllBytes();
    }
  }
}
