package dev.sequor.rnn;

import dev.sequor.tensor.ParamStore;
import java.util.SplittableRandom;

/**
 * Where a recurrent stack's tensors live in a {@link ParamStore}: PyTorch's names and layout,
 * {@code weight_ih_l{k}} (G·H, in), {@code weight_hh_l{k}} (G·H, H), {@code bias_ih_l{k}},
 * {@code bias_hh_l{k}} (G·H), with {@code _reverse} for the second direction, declared in PyTorch's
 * state_dict order. Offsets are computed here, once; layers address tensors only through them.
 */
public final class RecurrentParams {
  private final RecurrentConfig config;
  private final String prefix;
  // [layer * D + direction]; bias offsets are -1 when config.bias() is false
  private final int[] wIh, wHh, bIh, bHh;

  private RecurrentParams(RecurrentConfig config, String prefix, int[] wIh, int[] wHh, int[] bIh, int[] bHh) {
    this.config = config;
    this.prefix = prefix;
    this.wIh = wIh;
    this.wHh = wHh;
    this.bIh = bIh;
    this.bHh = bHh;
  }

  /** Declares the stack's tensors under {@code prefix} (e.g. "rnn." or "") in {@code builder}. */
  public static RecurrentParams declare(ParamStore.Builder builder, String prefix, RecurrentConfig config) {
    int n = config.layers() * config.directions();
    int[] wIh = new int[n], wHh = new int[n], bIh = new int[n], bHh = new int[n];
    int gh = config.gateRows(), h = config.hidden();
    for (int l = 0; l < config.layers(); l++)
      for (int d = 0; d < config.directions(); d++) {
        int k = l * config.directions() + d;
        String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
        wIh[k] = builder.add(prefix + "weight_ih" + suffix, gh, config.layerInput(l));
        wHh[k] = builder.add(prefix + "weight_hh" + suffix, gh, h);
        bIh[k] = config.bias() ? builder.add(prefix + "bias_ih" + suffix, gh) : -1;
        bHh[k] = config.bias() ? builder.add(prefix + "bias_hh" + suffix, gh) : -1;
      }
    return new RecurrentParams(config, prefix, wIh, wHh, bIh, bHh);
  }

  public RecurrentConfig config() { return config; }

  /** The name prefix the tensors were declared under. */
  public String prefix() { return prefix; }

  /** Offset of weight_ih of layer l, direction d (0 forward, 1 reverse). */
  public int weightIh(int l, int d) { return wIh[index(l, d)]; }

  public int weightHh(int l, int d) { return wHh[index(l, d)]; }

  /** Offset of bias_ih, or -1 without biases. */
  public int biasIh(int l, int d) { return bIh[index(l, d)]; }

  public int biasHh(int l, int d) { return bHh[index(l, d)]; }

  private int index(int l, int d) {
    if (l < 0 || l >= config.layers()) throw new IllegalArgumentException("layer " + l + " outside [0, " + config.layers() + ")");
    if (d < 0 || d >= config.directions()) throw new IllegalArgumentException("direction " + d + " outside [0, " + config.directions() + ")");
    return l * config.directions() + d;
  }

  /**
   * PyTorch's default initialisation: every weight and bias of the stack drawn from U(−1/√H, 1/√H),
   * tensor by tensor in declaration order, element by element in row-major order.
   */
  public void initialize(float[] values, SplittableRandom rng) {
    float bound = (float) (1.0 / Math.sqrt(config.hidden()));
    int gh = config.gateRows(), h = config.hidden();
    for (int l = 0; l < config.layers(); l++)
      for (int d = 0; d < config.directions(); d++) {
        uniform(values, weightIh(l, d), gh * config.layerInput(l), bound, rng);
        uniform(values, weightHh(l, d), gh * h, bound, rng);
        if (config.bias()) {
          uniform(values, biasIh(l, d), gh, bound, rng);
          uniform(values, biasHh(l, d), gh, bound, rng);
        }
      }
  }

  /** values[off .. off+n) ~ U(−bound, bound). */
  static void uniform(float[] values, int off, int n, float bound, SplittableRandom rng) {
    for (int i = 0; i < n; i++) values[off + i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
  }
}
