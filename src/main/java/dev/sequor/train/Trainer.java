package dev.sequor.train;

import dev.sequor.eval.Evaluation;
import dev.sequor.eval.Evaluator;
import dev.sequor.io.AtomicFiles;
import dev.sequor.io.Checkpoint;
import dev.sequor.io.CheckpointFormatException;
import dev.sequor.model.LanguageModel;
import dev.sequor.model.ModelFactory;
import dev.sequor.model.ModelSpec;
import dev.sequor.tensor.ParamStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * The training loop: per step, draw the windows, forward + backward of the mean loss, stop on a
 * non-finite loss or gradient, clip to the global norm, update with the scheduled learning rate.
 * Periodically estimate the validation loss and save a checkpoint with its resume sidecar; after
 * the last step, save and evaluate on the whole validation split.
 *
 * <p>Deterministic: everything random derives from (seed, purpose, step) (see {@link Seeds}), every
 * reduction here runs in a fixed order, and the kernels do not depend on the thread count; so the
 * same config gives the same losses bit for bit, and a run resumed from a checkpoint continues
 * exactly as if it had not stopped. With carried state (truncated BPTT) the state restarts from
 * zero at each epoch of the streams and at every {@code saveEvery} boundary — the points a run can
 * be resumed from — so resuming needs no hidden state.
 */
public final class Trainer {
  private final ModelSpec spec;
  private final TrainConfig cfg;
  private final TextData data;
  private final Checkpoint checkpoint;
  private final LanguageModel model;
  private final Optimizer optimizer;
  private final long dataCrc;
  private long step;
  private Path savePath;

  private Trainer(ModelSpec spec, TrainConfig cfg, TextData data, Checkpoint checkpoint, Optimizer optimizer, long step) {
    this.spec = spec;
    this.cfg = cfg;
    this.data = data;
    this.checkpoint = checkpoint;
    this.model = checkpoint.model();
    this.optimizer = optimizer;
    this.step = step;
    this.dataCrc = crc(data);
    int block = spec.blockLength();
    if (block > 0 && cfg.seq() > block)
      throw new IllegalArgumentException("seq " + cfg.seq() + " exceeds the model's context of " + block);
    int needVal = block > 0 ? block + 1 : Math.max(2, cfg.seq() + 1);
    if (data.val().length < needVal)
      throw new IllegalArgumentException("validation split of " + data.val().length + " characters is too short (" + needVal
          + " needed): use a longer text");
  }

  /** A fresh run: the model is built by {@code factory} and initialised from the config's seed. */
  public static Trainer start(ModelSpec spec, TrainConfig cfg, TextData data, ModelFactory factory) {
    LanguageModel model = factory.create(spec, data.vocab().size(), cfg.dropout(), Seeds.rng(cfg.seed(), Seeds.INIT, 0));
    Optimizer opt = optimizer(cfg, model.params());
    return new Trainer(spec, cfg, data, new Checkpoint(spec, data.vocab(), model), opt, 0);
  }

  /**
   * Continues the run saved at {@code checkpoint} (with its sidecar) on {@code text}, which must be
   * the text it was trained on.
   */
  public static Trainer resume(Path checkpoint, String text, ModelFactory factory) throws IOException {
    Path sidecar = TrainState.sidecarOf(checkpoint);
    if (!Files.exists(sidecar))
      throw new CheckpointFormatException(checkpoint + ": no training state beside it (" + sidecar.getFileName() + ") to resume from");
    TrainState state = TrainState.load(sidecar);
    byte[] bytes = Files.readAllBytes(checkpoint);
    if (crc(bytes) != state.modelCrc())
      throw new CheckpointFormatException(sidecar + " was saved with a different " + checkpoint.getFileName()
          + " (interrupted save, or files from different runs)");
    Checkpoint ck = Checkpoint.read(ByteBuffer.wrap(bytes), checkpoint.toString(), factory, state.config().dropout());
    TextData data = TextData.of(text, ck.vocab());
    if (crc(data) != state.dataCrc())
      throw new IllegalArgumentException("the text differs from the one " + checkpoint + " was trained on");
    Optimizer opt = optimizer(state.config(), ck.model().params());
    if (!opt.name().equals(state.optimizer()))
      throw new CheckpointFormatException(sidecar + ": optimizer " + state.optimizer() + " does not match the config's " + opt.name());
    try {
      opt.restore(state.optimizerSteps(), state.optimizerState());
    } catch (IllegalArgumentException e) {
      throw new CheckpointFormatException(sidecar + ": " + e.getMessage(), e);
    }
    if (state.step() < 0 || state.step() > state.config().steps())
      throw new CheckpointFormatException(sidecar + ": step " + state.step() + " outside the run's " + state.config().steps() + " steps");
    return new Trainer(ck.spec(), state.config(), data, ck, opt, state.step());
  }

  private static Optimizer optimizer(TrainConfig c, ParamStore p) {
    return Optimizer.create(c.optimizer(), p, c.beta1(), c.beta2(), c.eps(), c.momentum(), c.weightDecay());
  }

  /** Saves checkpoints (every {@code saveEvery} steps and at the end) to {@code path}; null disables saving. */
  public Trainer saveTo(Path path) {
    this.savePath = path;
    return this;
  }

  public TrainConfig config() { return cfg; }

  public ModelSpec spec() { return spec; }

  public TextData data() { return data; }

  public LanguageModel model() { return model; }

  /** The model with its vocabulary. */
  public Checkpoint checkpoint() { return checkpoint; }

  /** Steps completed so far. */
  public long step() { return step; }

  public Path savePath() { return savePath; }

  /** Runs from the current step to the config's last (or until the listener stops it). */
  public TrainResult run(TrainListener listener) throws IOException {
    if (listener == null) listener = new TrainListener() {};
    int b = cfg.batch(), t = cfg.seq();
    ParamStore params = model.params();
    LrSchedule schedule = cfg.schedule();
    boolean carrying = cfg.carry() && model.newCarry(b) != null;
    Windows windows = carrying ? new Windows.Streams(data.train(), b, t) : new Windows.Random(data.train(), b, t, cfg.seed());
    LanguageModel.Carry carry = null;
    int[] in = new int[b * t], tg = new int[b * t];
    listener.started(this);

    long startStep = step;
    double trainNanos = 0;
    double lastLoss = Double.NaN;
    Path saved = null;
    boolean stopped = false;
    while (step < cfg.steps() && !stopped) {
      long t0 = System.nanoTime();
      if (carrying && (carry == null || windows.resetsCarry(step) || (cfg.saveEvery() > 0 && step % cfg.saveEvery() == 0)))
        carry = model.newCarry(b);
      windows.fill(step, in, tg);
      double lr = schedule.at(step);
      params.zeroGrad();
      SplittableRandom dropout = cfg.dropout() > 0 ? Seeds.rng(cfg.seed(), Seeds.DROPOUT, step) : null;
      double loss = model.forwardBackward(in, tg, b, t, carry, dropout);
      if (!Double.isFinite(loss)) throw diverged("the training loss is " + loss, lr);
      double norm = GradClip.clip(params, cfg.clip());
      if (!Double.isFinite(norm)) throw diverged("the gradient norm is " + norm, lr);
      optimizer.step((float) lr);
      step++;
      trainNanos += System.nanoTime() - t0;
      lastLoss = loss;

      long done = step - startStep;
      double secs = trainNanos / 1e9;
      double tps = done * (double) b * t / secs;
      double eta = (cfg.steps() - step) * secs / done;
      if (!listener.step(new TrainListener.Step(step, cfg.steps(), loss, lr, norm, tps, secs, eta))) stopped = true;
      if (cfg.evalEvery() > 0 && step % cfg.evalEvery() == 0 && step < cfg.steps()) listener.validated(step, estimateValLoss());
      if (savePath != null && cfg.saveEvery() > 0 && step % cfg.saveEvery() == 0 && step < cfg.steps()) {
        save(savePath);
        saved = savePath;
        listener.saved(step, savePath);
      }
    }
    double secs = trainNanos / 1e9;
    double tps = secs > 0 ? (step - startStep) * (double) b * t / secs : 0;
    if (step < cfg.steps()) return new TrainResult(checkpoint, step, false, lastLoss, null, tps, secs, saved);
    if (savePath != null) {
      save(savePath);
      saved = savePath;
      listener.saved(step, savePath);
    }
    Evaluation val = Evaluator.evaluate(model, spec, data.val());
    listener.finished(val);
    return new TrainResult(checkpoint, step, true, lastLoss, val, tps, secs, saved);
  }

  private TrainingDivergedException diverged(String what, double lr) {
    return new TrainingDivergedException("training diverged at step " + (step + 1) + " of " + cfg.steps() + ": " + what
        + " (learning rate " + String.format(java.util.Locale.ROOT, "%.3g", lr) + "); stopped without saving"
        + (savePath != null && Files.exists(savePath) ? ", " + savePath + " holds the last good checkpoint" : "")
        + ". Try a lower --lr or a --clip limit.");
  }

  /** Mean validation loss on a fixed sample of {@code evalWindows} windows (the same windows every time). */
  public double estimateValLoss() {
    int[] val = data.val();
    int t = Math.min(cfg.seq(), val.length - 1), b = cfg.batch();
    SplittableRandom rng = Seeds.rng(cfg.seed(), Seeds.EVAL, 0);
    int[] in = new int[b * t], tg = new int[b * t];
    double sum = 0;
    long count = 0;
    for (int w = 0; w < cfg.evalWindows(); w += b) {
      int nb = Math.min(b, cfg.evalWindows() - w);
      for (int i = 0; i < nb; i++) {
        int o = rng.nextInt(val.length - t);
        System.arraycopy(val, o, in, i * t, t);
        System.arraycopy(val, o + 1, tg, i * t, t);
      }
      int[] ii = nb == b ? in : java.util.Arrays.copyOf(in, nb * t), tt = nb == b ? tg : java.util.Arrays.copyOf(tg, nb * t);
      sum += model.lossSum(ii, tt, nb, t, null);
      count += (long) nb * t;
    }
    return sum / count;
  }

  /** Writes the checkpoint and then its resume sidecar, each atomically; refuses non-finite parameters. */
  public void save(Path path) throws IOException {
    float[] v = model.params().value;
    for (int i = 0; i < v.length; i++)
      if (!Float.isFinite(v[i]))
        throw new TrainingDivergedException("parameter " + i + " is " + v[i] + " after step " + step + "; not saving over " + path);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    checkpoint.writeTo(buf);
    byte[] bytes = buf.toByteArray();
    AtomicFiles.write(path, out -> out.write(bytes));
    new TrainState(step, cfg, optimizer.name(), optimizer.steps(), optimizer.state(), crc(bytes), dataCrc).save(TrainState.sidecarOf(path));
  }

  private static long crc(byte[] bytes) {
    CRC32 c = new CRC32();
    c.update(bytes);
    return c.getValue();
  }

  private static long crc(TextData d) {
    CRC32 c = new CRC32();
    ByteBuffer buf = ByteBuffer.allocate(4 * 4096);
    for (int[] part : new int[][] {d.train(), d.val()}) {
      for (int i = 0; i < part.length; i++) {
        if (!buf.hasRemaining()) {
          c.update(buf.flip());
          buf.clear();
        }
        buf.putInt(part[i]);
      }
      c.update(buf.flip());
      buf.clear();
    }
    return c.getValue();
  }
}
