package dev.sequor.train;

import dev.sequor.io.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that determines a training run besides the model's architecture and the text: with
 * the same config, spec and text, the run is reproduced bit for bit.
 */
public record TrainConfig(
    // optimizer steps in the whole run (the schedule decays to minLr at the last one)
    int steps,
    // windows per step
    int batch,
    // window length in tokens (for gpt: at most its context)
    int seq,
    // peak learning rate
    double lr,
    // floor of the cosine decay (nanoGPT: lr/10)
    double minLr,
    // linear warm-up steps
    int warmup,
    // "adamw", "adam" or "sgd"
    String optimizer,
    // Adam's β1
    float beta1,
    // Adam's β2
    float beta2,
    // Adam's ε
    float eps,
    // SGD's momentum μ
    float momentum,
    // weight decay on matrices and embeddings (decoupled for adamw, L2 otherwise)
    float weightDecay,
    // global gradient-norm limit; 0 disables clipping
    double clip,
    // dropout probability while training
    float dropout,
    // seeds initialisation, windows and dropout
    long seed,
    // truncated BPTT: consecutive windows of B streams carry the recurrent state (rnn/gru/lstm)
    boolean carry,
    // periodic validation every this many steps (0: never)
    int evalEvery,
    // windows of the validation split in a periodic estimate
    int evalWindows,
    // checkpoint every this many steps when saving (0: only at the end); --resume restarts from these
    int saveEvery) {

  public TrainConfig {
    positive("steps", steps);
    positive("batch", batch);
    positive("seq", seq);
    if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("lr must be a positive number, got " + lr);
    if (!(minLr >= 0 && minLr <= lr)) throw new IllegalArgumentException("min-lr must be in [0, lr], got " + minLr);
    if (warmup < 0) throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
    if (!optimizer.equals("adamw") && !optimizer.equals("adam") && !optimizer.equals("sgd"))
      throw new IllegalArgumentException("optimizer must be adamw, adam or sgd, got '" + optimizer + "'");
    if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
    if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
    if (!(eps > 0)) throw new IllegalArgumentException("eps must be > 0, got " + eps);
    if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) throw new IllegalArgumentException("weight-decay must be >= 0, got " + weightDecay);
    if (!(clip >= 0) || !Double.isFinite(clip)) throw new IllegalArgumentException("clip must be >= 0, got " + clip);
    if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    if (evalEvery < 0) throw new IllegalArgumentException("eval-every must be >= 0, got " + evalEvery);
    positive("eval-windows", evalWindows);
    if (saveEvery < 0) throw new IllegalArgumentException("save-every must be >= 0, got " + saveEvery);
  }

  private static void positive(String what, int v) {
    if (v < 1) throw new IllegalArgumentException(what + " must be >= 1, got " + v);
  }

  /** The learning-rate schedule of this run. */
  public LrSchedule schedule() { return new LrSchedule(lr, minLr, warmup, steps); }

  /** A builder starting from this config. */
  public Builder toBuilder() { return new Builder(this); }

  /** The config as a JSON object (stored in the resume sidecar). */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("steps", steps);
    m.put("batch", batch);
    m.put("seq", seq);
    m.put("lr", lr);
    m.put("min_lr", minLr);
    m.put("warmup", warmup);
    m.put("optimizer", optimizer);
    m.put("beta1", (double) beta1);
    m.put("beta2", (double) beta2);
    m.put("eps", (double) eps);
    m.put("momentum", (double) momentum);
    m.put("weight_decay", (double) weightDecay);
    m.put("clip", clip);
    m.put("dropout", (double) dropout);
    m.put("seed", Long.toString(seed));
    m.put("carry", carry);
    m.put("eval_every", evalEvery);
    m.put("eval_windows", evalWindows);
    m.put("save_every", saveEvery);
    return Json.write(m);
  }

  /** Reads {@link #toJson()}'s output; IllegalArgumentException naming a missing or bad field. */
  public static TrainConfig fromJson(String json) {
    Map<String, Object> m = Json.parseObject(json);
    return new TrainConfig(i(m, "steps"), i(m, "batch"), i(m, "seq"), d(m, "lr"), d(m, "min_lr"), i(m, "warmup"),
        s(m, "optimizer"), (float) d(m, "beta1"), (float) d(m, "beta2"), (float) d(m, "eps"), (float) d(m, "momentum"),
        (float) d(m, "weight_decay"), d(m, "clip"), (float) d(m, "dropout"), Long.parseLong(s(m, "seed")), b(m, "carry"),
        i(m, "eval_every"), i(m, "eval_windows"), i(m, "save_every"));
  }

  private static Object field(Map<String, Object> m, String k) {
    if (!m.containsKey(k)) throw new IllegalArgumentException("training config is missing \"" + k + "\"");
    return m.get(k);
  }

  private static int i(Map<String, Object> m, String k) {
    if (field(m, k) instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return (int) (long) l;
    throw new IllegalArgumentException("training config: \"" + k + "\" must be an integer");
  }

  private static double d(Map<String, Object> m, String k) {
    if (field(m, k) instanceof Number n) return n.doubleValue();
    throw new IllegalArgumentException("training config: \"" + k + "\" must be a number");
  }

  private static String s(Map<String, Object> m, String k) {
    if (field(m, k) instanceof String v) return v;
    throw new IllegalArgumentException("training config: \"" + k + "\" must be a string");
  }

  private static boolean b(Map<String, Object> m, String k) {
    if (field(m, k) instanceof Boolean v) return v;
    throw new IllegalArgumentException("training config: \"" + k + "\" must be true or false");
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    public int steps, batch, seq, warmup, evalEvery, evalWindows, saveEvery;
    public double lr, minLr, clip;
    public String optimizer;
    public float beta1, beta2, eps, momentum, weightDecay, dropout;
    public long seed;
    public boolean carry;
    /** When true, {@link #build()} sets minLr to lr/10 (nanoGPT's rule) unless set explicitly. */
    private boolean minLrFollowsLr = true;

    private Builder(TrainConfig c) {
      steps = c.steps; batch = c.batch; seq = c.seq; lr = c.lr; minLr = c.minLr; warmup = c.warmup;
      optimizer = c.optimizer; beta1 = c.beta1; beta2 = c.beta2; eps = c.eps; momentum = c.momentum;
      weightDecay = c.weightDecay; clip = c.clip; dropout = c.dropout; seed = c.seed; carry = c.carry;
      evalEvery = c.evalEvery; evalWindows = c.evalWindows; saveEvery = c.saveEvery;
    }

    public Builder steps(int v) { steps = v; return this; }
    public Builder batch(int v) { batch = v; return this; }
    public Builder seq(int v) { seq = v; return this; }
    public Builder lr(double v) { lr = v; return this; }
    public Builder minLr(double v) { minLr = v; minLrFollowsLr = false; return this; }
    public Builder warmup(int v) { warmup = v; return this; }
    public Builder optimizer(String v) { optimizer = v; return this; }
    public Builder beta1(float v) { beta1 = v; return this; }
    public Builder beta2(float v) { beta2 = v; return this; }
    public Builder eps(float v) { eps = v; return this; }
    public Builder momentum(float v) { momentum = v; return this; }
    public Builder weightDecay(float v) { weightDecay = v; return this; }
    public Builder clip(double v) { clip = v; return this; }
    public Builder dropout(float v) { dropout = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder carry(boolean v) { carry = v; return this; }
    public Builder evalEvery(int v) { evalEvery = v; return this; }
    public Builder evalWindows(int v) { evalWindows = v; return this; }
    public Builder saveEvery(int v) { saveEvery = v; return this; }

    public TrainConfig build() {
      double min = minLrFollowsLr ? lr / 10 : minLr;
      return new TrainConfig(steps, batch, seq, lr, min, warmup, optimizer, beta1, beta2, eps, momentum, weightDecay,
          clip, dropout, seed, carry, evalEvery, evalWindows, saveEvery);
    }
  }
}
