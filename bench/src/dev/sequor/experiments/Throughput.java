package dev.sequor.experiments;

import dev.sequor.model.GptSpec;
import dev.sequor.model.LanguageModel;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.RecurrentSpec;
import dev.sequor.train.Adam;
import dev.sequor.train.GradClip;
import dev.sequor.train.Recipes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * notes/03-lstm.md and 05-transformer.md: training throughput (forward, backward, clipping, Adam) of
 * the shipped LSTM and GPT recipes, which have about the same number of parameters, at a fixed
 * window and two batch sizes. The models alternate in short rounds and the medians are reported, so
 * both see the same machine load. The share of the training thread's time inside the matrix kernels
 * ({@code Gemm}, {@code Gemv}) comes from JDK Flight Recorder's execution and native-method samples
 * of the same rounds.
 */
final class Throughput implements Experiment {
  static final int SEQ = 64, VOCAB = 65;

  @Override public String name() { return "throughput"; }

  @Override
  public String summary() {
    return "Training tokens/s of the LSTM and GPT recipes (about 0.8-0.9M parameters each), window " + SEQ
        + ", batch 32, 8 and 1, with the share of time in GEMM/GEMV (JFR samples). Timings depend on the machine.";
  }

  @Override
  public Result run(Context ctx) throws Exception {
    List<ModelSpec> specs = List.of(Recipes.spec("lstm"), Recipes.spec("gpt"));
    int[] batches = {32, 8, 1};
    int rounds = ctx.quick() ? 3 : 9;
    double roundSeconds = ctx.quick() ? 1.0 : 3.0;
    Table t = new Table("throughput", "Training throughput (median of " + rounds + " alternating rounds)", "model", "parameters", "batch",
        "tokens/s", "ms/step", "GPT/LSTM", "time in GEMM/GEMV", "matmul GFLOP/s");
    double[][] bars = new double[specs.size()][batches.length];
    for (int bi = 0; bi < batches.length; bi++) {
      int batch = batches[bi];
      List<Runner> runners = new ArrayList<>();
      for (ModelSpec s : specs) runners.add(new Runner(s, batch));
      for (Runner r : runners) r.steps(Math.max(3, (int) (2 * roundSeconds / r.secondsPerStep(3)))); // JIT warm-up
      double[][] tps = new double[specs.size()][rounds];
      Path jfr = Files.createTempFile("sequor-throughput", ".jfr");
      List<Round> windows = new ArrayList<>();
      try (Recording rec = new Recording()) {
        rec.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
        rec.enable("jdk.NativeMethodSample").withPeriod(java.time.Duration.ofMillis(10));
        rec.start();
        for (int round = 0; round < rounds; round++)
          for (int i = 0; i < runners.size(); i++) {
            Runner r = runners.get(i);
            int n = Math.max(2, (int) (roundSeconds / r.lastSecondsPerStep));
            Instant a = Instant.now();
            double secs = r.steps(n);
            windows.add(new Round(a, Instant.now(), i));
            tps[i][round] = n * (double) batch * SEQ / secs;
          }
        rec.stop();
        rec.dump(jfr);
      }
      double[] gemmShare = gemmShare(jfr, windows, specs.size());
      Files.deleteIfExists(jfr);
      double[] med = new double[specs.size()];
      for (int i = 0; i < specs.size(); i++) med[i] = median(tps[i]);
      double[] ratio = new double[rounds];
      for (int round = 0; round < rounds; round++) ratio[round] = tps[1][round] / tps[0][round];
      for (int i = 0; i < specs.size(); i++) {
        ModelSpec s = specs.get(i);
        bars[i][bi] = med[i];
        t.row(Arch.label(s), Arch.params(s, VOCAB), batch, Table.f(med[i], 0), Table.f(1000.0 * batch * SEQ / med[i], 1),
            i == 1 ? Table.f(median(ratio), 2) : "", Table.f(100 * gemmShare[i], 0) + "%", Table.f(flopsPerToken(s) * med[i] / 1e9, 2));
        ctx.progress().accept(Arch.label(s) + " batch " + batch + ": " + Table.f(med[i], 0) + " tokens/s, GEMM share "
            + Table.f(100 * gemmShare[i], 0) + "%");
      }
    }
    String[] cats = Arrays.stream(batches).mapToObj(b -> "batch " + b + " x " + SEQ).toArray(String[]::new);
    String[] names = specs.stream().map(Arch::label).toArray(String[]::new);
    String[] colors = specs.stream().map(s -> Arch.color(s.arch())).toArray(String[]::new);
    return new Result().table(t)
        .figure("throughput", SvgPlot.bars("Training throughput on this machine", "tokens per second", cats, names, colors, bars))
        .remark("One training step = zero gradients, forward + backward of the mean loss, global-norm clipping, Adam; random tokens,"
            + " vocabulary " + VOCAB + ", default thread count (" + Runtime.getRuntime().availableProcessors() + " processors).")
        .remark("GPT/LSTM: median over rounds of the ratio within a round (the two models run back to back under the same load).")
        .remark("Time in GEMM/GEMV: share of the training thread's JFR samples (Java and native) with a Gemm or Gemv call on the stack.")
        .remark("Matmul GFLOP/s: analytic multiply-add FLOPs of the weight and attention products (x3 for forward + backward) per token"
            + " times tokens/s; elementwise work (gates, softmax, layer norm, Adam) not counted.");
  }

  /** One model training on random tokens at a fixed shape. */
  static final class Runner {
    final LanguageModel model;
    final Adam adam;
    final int batch;
    final int[] in, tg;
    double lastSecondsPerStep;

    Runner(ModelSpec spec, int batch) {
      this.model = Arch.build(spec, VOCAB, 42);
      this.adam = new Adam(model.params(), 0.9f, 0.999f, 1e-8f, 0f, false);
      this.batch = batch;
      in = new int[batch * SEQ];
      tg = new int[batch * SEQ];
      SplittableRandom rng = new SplittableRandom(7);
      for (int i = 0; i < in.length; i++) { in[i] = rng.nextInt(VOCAB); tg[i] = rng.nextInt(VOCAB); }
    }

    double secondsPerStep(int n) { return steps(n) / n; }

    /** Runs n steps; returns their wall time in seconds. */
    double steps(int n) {
      long t0 = System.nanoTime();
      for (int s = 0; s < n; s++) {
        model.params().zeroGrad();
        model.forwardBackward(in, tg, batch, SEQ, null, null);
        GradClip.clip(model.params(), 1.0);
        adam.step(1e-4f);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      lastSecondsPerStep = secs / n;
      return secs;
    }
  }

  /** When model {@code model} was training. */
  record Round(Instant from, Instant to, int model) {}

  /** Per model: JFR samples of this thread inside a Gemm/Gemv call over all its samples, by the rounds' time windows. */
  static double[] gemmShare(Path jfr, List<Round> windows, int models) throws Exception {
    long[] inGemm = new long[models], all = new long[models];
    String self = Thread.currentThread().getName();
    for (RecordedEvent ev : RecordingFile.readAllEvents(jfr)) {
      String type = ev.getEventType().getName();
      if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) continue;
      var thread = ev.getThread("sampledThread");
      if (thread == null || !self.equals(thread.getJavaName()) || ev.getStackTrace() == null) continue;
      Instant at = ev.getStartTime();
      int model = -1;
      for (Round w : windows) if (!at.isBefore(w.from()) && !at.isAfter(w.to())) model = w.model();
      if (model < 0) continue;
      all[model]++;
      for (RecordedFrame f : ev.getStackTrace().getFrames()) {
        String cls = f.getMethod().getType().getName();
        if (cls.equals("dev.sequor.kernel.Gemm") || cls.equals("dev.sequor.kernel.Gemv")) {
          inGemm[model]++;
          break;
        }
      }
    }
    double[] share = new double[models];
    for (int i = 0; i < models; i++) share[i] = all[i] == 0 ? Double.NaN : (double) inGemm[i] / all[i];
    return share;
  }

  /** Multiply-add FLOPs of the matrix products per trained token: 2 per weight use, x3 for forward + backward. */
  static double flopsPerToken(ModelSpec spec) {
    double fwd;
    if (spec instanceof RecurrentSpec r) {
      int g = r.gates(), h = r.hidden();
      fwd = 0;
      for (int l = 0; l < r.layers(); l++) fwd += 2.0 * g * h * ((l == 0 ? r.embed() : h) + h);
      fwd += 2.0 * VOCAB * h;
    } else {
      GptSpec g = (GptSpec) spec;
      double c = g.dModel();
      // per layer: qkv 3C², proj C², MLP 8C² weights; scores and weighted sum 2·T·C each over the full T x T
      fwd = g.layers() * (2 * 12 * c * c + 2 * 2 * SEQ * c) + 2.0 * VOCAB * c;
    }
    return 3 * fwd;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
