package dev.sequor.model;

import dev.sequor.io.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** nanoGPT's decoder in its names and shapes ({@code transformer.wte.weight}, …, {@code lm_head.weight}). */
public record GptSpec(
    // model width C
    int dModel,
    // attention heads NH; divides C
    int heads,
    // transformer blocks L
    int layers,
    // context length T (positions of wpe)
    int context,
    // whether Linear and LayerNorm layers have biases
    boolean bias,
    // whether lm_head shares wte's weight (then lm_head.weight is absent)
    boolean tied) implements ModelSpec {

  public GptSpec {
    Models.positive("gpt", "d_model", dModel);
    Models.positive("gpt", "heads", heads);
    Models.positive("gpt", "layers", layers);
    Models.positive("gpt", "context", context);
    if (dModel % heads != 0)
      throw new IllegalArgumentException("gpt: heads " + heads + " must divide d_model " + dModel);
  }

  @Override
  public String arch() { return "gpt"; }

  @Override
  public int blockLength() { return context; }

  @Override
  public long tensorCount() { return 2 + (bias ? 12L : 6L) * layers + (bias ? 2 : 1) + (tied ? 0 : 1); }

  @Override
  public LinkedHashMap<String, int[]> tensorShapes(int vocabSize) {
    int c = dModel;
    int c3 = Math.multiplyExact(3, c), c4 = Math.multiplyExact(4, c);
    LinkedHashMap<String, int[]> m = new LinkedHashMap<>();
    m.put("transformer.wte.weight", new int[] {vocabSize, c});
    m.put("transformer.wpe.weight", new int[] {context, c});
    for (int i = 0; i < layers; i++) {
      String p = "transformer.h." + i + ".";
      norm(m, p + "ln_1", c);
      linear(m, p + "attn.c_attn", c3, c);
      linear(m, p + "attn.c_proj", c, c);
      norm(m, p + "ln_2", c);
      linear(m, p + "mlp.c_fc", c4, c);
      linear(m, p + "mlp.c_proj", c, c4);
    }
    norm(m, "transformer.ln_f", c);
    if (!tied) m.put("lm_head.weight", new int[] {vocabSize, c});
    return m;
  }

  private void norm(Map<String, int[]> m, String name, int c) {
    m.put(name + ".weight", new int[] {c});
    if (bias) m.put(name + ".bias", new int[] {c});
  }

  private void linear(Map<String, int[]> m, String name, int out, int in) {
    m.put(name + ".weight", new int[] {out, in});
    if (bias) m.put(name + ".bias", new int[] {out});
  }

  @Override
  public String configJson() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("d_model", dModel);
    c.put("heads", heads);
    c.put("layers", layers);
    c.put("context", context);
    c.put("bias", bias);
    c.put("tied", tied);
    return Json.write(c);
  }
}
