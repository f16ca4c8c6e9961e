package dev.sequor.rnn;

import dev.sequor.kernel.CrossEntropy;
import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.Vec;
import dev.sequor.kernel.WorkerPool;
import dev.sequor.train.Adam;
import dev.sequor.train.GradClip;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Phase profile of one training step of {@code bench train}'s LSTM (embedding 512, 2 layers of 512,
 * vocabulary 65, batch 32, seq 64, Adam): the phases of {@link RecurrentLM#forwardBackward} and the
 * trainer's clip + update, re-run one by one with the same kernel calls on the same shapes and timed
 * separately (medians over the measured steps), next to the whole real step. GFLOPS for the GEMM phases.
 * Not a JMH benchmark: after {@code ./mvnw -q -DskipTests test-compile},
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * dev.sequor.rnn.LstmTrainProfile [threads] [steps] [wall|cpu|cpuall] [fused|unfused]}: {@code cpu} times the
 * calling thread's CPU time (robust to other jobs on a shared machine; use it with one thread),
 * {@code cpuall} the CPU time of the caller and the workers summed (the cost of the parallel split);
 * {@code unfused} profiles the per-step loop without {@link LstmSteps} (the code before it).
 */
public final class LstmTrainProfile {
  static final int V = 65, E = 512, H = 512, L = 2, B = 32, T = 64;

  private final String[] names = new String[64];
  private final double[][] ms = new double[64][];
  private final double[] flops = new double[64];
  private int phases, iter;
  private long last;

  private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
  /** CPU time of the calling thread instead of wall time: robust to a shared machine, meaningful with one thread. */
  private static boolean cpuClock;
  /** The fused per-step LSTM jobs ({@link LstmSteps}, the default) or the unfused loop. */
  private static boolean fused;

  /** With {@code cpuall}: the CPU time of the caller and the pool's workers, summed (spin-waits included). */
  private static long[] threadIds;

  static long now() {
    if (threadIds != null) {
      long sum = 0;
      for (long id : threadIds) sum += MX.getThreadCpuTime(id);
      return sum;
    }
    return cpuClock ? MX.getCurrentThreadCpuTime() : System.nanoTime();
  }

  public static void main(String[] args) {
    cpuClock = args.length > 2 && args[2].startsWith("cpu");
    fused = !(args.length > 3 && args[3].equals("unfused"));
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : WorkerPool.threads();
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    WorkerPool.setThreads(threads);
    if (args.length > 2 && args[2].equals("cpuall")) {
      dev.sequor.kernel.Gemm.nn(new float[256 * 256], 0, 256, new float[256 * 256], 0, 256, new float[256 * 256], 0, 256, 256, 256, 256);
      threadIds = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("sequor-worker") || t == Thread.currentThread()).mapToLong(Thread::threadId).toArray();
    }
    new LstmTrainProfile().run(steps, 5);
  }

  // the time since the last mark is the next phase's
  void mark(String name, double flop) {
    long now = now();
    add(name, (now - last) / 1e6, flop);
    last = now();
  }

  void add(String name, double millis, double flop) {
    int i = phases++;
    if (names[i] == null) {
      names[i] = name;
      ms[i] = new double[1000];
      flops[i] = flop;
    }
    ms[i][iter] += millis;
  }

  void run(int steps, int warmup) {
    RecurrentLM lm = new RecurrentLM(new RecurrentLmConfig("lstm", null, E, H, L, 0f), V);
    lm.initialize(new SplittableRandom(1));
    var store = lm.params();
    Adam adam = new Adam(store, 0.9f, 0.999f, 1e-8f, 0f, false);
    SplittableRandom r = new SplittableRandom(3);
    int rows = B * T, gh = 4 * H;
    int[] in = new int[rows], tg = new int[rows];
    for (int i = 0; i < rows; i++) { in[i] = r.nextInt(V); tg[i] = r.nextInt(V); }
    RecurrentConfig cfg = lm.config().stack();
    // the same layout as RecurrentLM's store: embed.weight first, then the stack
    dev.sequor.tensor.ParamStore.Builder layout = dev.sequor.tensor.ParamStore.builder();
    int embedOff = layout.add("embed.weight", V, E);
    RecurrentParams par = RecurrentParams.declare(layout, "rnn.", cfg);
    int headW = store.get("head.weight").offset(), headB = store.get("head.bias").offset();
    RecurrentWorkspace ws = new RecurrentWorkspace(cfg, T, B, fused);
    float[] logits = new float[rows * V], dlogits = new float[rows * V];
    float[] dy = new float[rows * H];
    int[] tok = new int[rows], tgt = new int[rows];
    double[] whole = new double[steps];
    for (int s = 0; s < warmup + steps; s++) {
      iter = s < warmup ? 0 : s - warmup;
      if (s == warmup) for (int i = 0; i < phases; i++) ms[i][0] = 0; // the warm-up steps summed into slot 0
      // the real step first (for the total), then the same work phase by phase
      long t0 = now();
      store.zeroGrad();
      lm.forwardBackward(in, tg, B, T, null, null);
      GradClip.clip(store, 1.0);
      adam.step(1e-4f);
      if (s >= warmup) whole[iter] = (now() - t0) / 1e6;

      float[] p = store.value, g = store.grad;
      phases = 0;
      last = now();
      store.zeroGrad();
      mark("zero grad", 0);
      for (int b = 0; b < B; b++)
        for (int t = 0; t < T; t++) {
          int row = t * B + b, tk = in[b * T + t];
          tok[row] = tk;
          tgt[row] = tg[b * T + t];
        }
      mark("tokens", 0);
      float[] inp = null; // layer 0 reads the embedding by token
      for (int l = 0; l < L; l++) {
        float[] s0 = ws.state[l], c = ws.cell[l], act = ws.saved[l], out = ws.output[l];
        dev.sequor.kernel.PackedMatrix whhT = null;
        if (fused) {
          whhT = ws.interleavedWhhT(l, p, par.weightHh(l, 0), par.biasHh(l, 0));
          mark("L" + l + " W_hh pack (interleaved)", 0);
        } else {
          Rows.transpose(ws.whhT[l], 0, p, par.weightHh(l, 0), gh, H);
          mark("L" + l + " W_hh transpose", 0);
        }
        if (l == 0) { // RecurrentStack.forwardTokens: the projection per embedding row, gathered
          float[] perToken = ws.perToken(V);
          Rows.fill(perToken, 0, V, gh, p, par.biasIh(l, 0));
          Gemm.nt(perToken, 0, gh, p, embedOff, E, p, par.weightIh(l, 0), E, V, gh, E);
          mark("L0 fwd input GEMM per token nt (65x2048x512)", 2.0 * V * gh * E);

        } else {
          ws.biasJobs.fill(ws.xproj, 0, rows, gh, p, par.biasIh(l, 0));
          mark("L" + l + " xproj bias fill", 0);
          Gemm.nt(ws.xproj, 0, gh, inp, 0, E, p, par.weightIh(l, 0), E, rows, gh, E);
          mark("L" + l + " fwd input GEMM nt (2048x2048x512)", 2.0 * rows * gh * E);
        }
        Arrays.fill(s0, 0, B * H, 0f);
        Arrays.fill(c, 0, B * H, 0f);
        double gemmMs = 0, cellMs = 0;
        if (fused) {
          for (int t = 0; t < T; t++)
            ws.lstmSteps.forward(t, t * B * H, (t + 1) * B * H, null, s0, c, act, l == 0 ? ws.perToken(V) : ws.xproj,
                l == 0 ? tok : null, ws.hproj, ws.bhhInterleaved[l], whhT, out, 0);
          mark("L" + l + " fwd fused steps 64x(32x2048x512 + cell)", 2.0 * rows * gh * H);
        } else for (int t = 0; t < T; t++) {
          int prev = t * B * H, next = (t + 1) * B * H;
          long a0 = now();
          Rows.fill(ws.hproj, 0, B, gh, p, par.biasHh(l, 0));
          Gemm.nn(ws.hproj, 0, gh, s0, prev, H, ws.whhT[l], 0, gh, B, gh, H);
          long a1 = now();
          for (int b = 0; b < B; b++) {
            int row = t * B + b;
            LstmCell.forward(s0, next + b * H, c, next + b * H, c, prev + b * H, ws.xproj, row * gh, ws.hproj, b * gh,
                act, row * 5 * H, H);
            System.arraycopy(s0, next + b * H, out, row * H, H);
          }
          long a2 = now();
          gemmMs += (a1 - a0) / 1e6;
          cellMs += (a2 - a1) / 1e6;
        }
        if (!fused) {
          add("L" + l + " fwd recurrent GEMM nn 64x(32x2048x512)", gemmMs, 2.0 * rows * gh * H);
          add("L" + l + " fwd cell pass + copy", cellMs, 0);
          last = now();
        }
        inp = out;
      }
      float[] y = ws.output[L - 1];
      Rows.fill(logits, 0, rows, V, p, headB);
      Gemm.nt(logits, 0, V, y, 0, H, p, headW, H, rows, V, H);
      mark("head fwd nt (2048x65x512)", 2.0 * rows * V * H);
      Arrays.fill(dlogits, 0f);
      CrossEntropy.forwardBackward(dlogits, 0, logits, 0, tgt, 0, rows, V, 1f / rows);
      mark("softmax cross-entropy", 0);
      Gemm.tn(g, headW, H, dlogits, 0, V, y, 0, H, V, H, rows);
      Vec.sumRows(g, headB, dlogits, 0, V, rows, V);
      Arrays.fill(dy, 0f);
      Gemm.nn(dy, 0, H, dlogits, 0, V, p, headW, H, rows, H, V);
      mark("head bwd tn + nn", 4.0 * rows * V * H);
      float[] curDy = dy;
      for (int l = L - 1; l >= 0; l--) {
        float[] s0 = ws.state[l], c = ws.cell[l], act = ws.saved[l];
        float[] inL = l == 0 ? null : ws.output[l - 1];
        float[] dIn = l > 0 ? (curDy == ws.dyA ? ws.dyB : ws.dyA) : null;
        if (l > 0) Arrays.fill(dIn, 0, rows * H, 0f);
        float[] dh = ws.dh, dhPrev = ws.dhPrev, dc = ws.dc, dcPrev = ws.dcPrev;
        Arrays.fill(dh, 0f);
        Arrays.fill(dc, 0f);
        mark("L" + l + " bwd zero fills", 0);
        double gemmMs = 0, cellMs = 0;
        if (fused) {
          dev.sequor.kernel.PackedMatrix whh = ws.packedWhh(l, p, par.weightHh(l, 0));
          mark("L" + l + " W_hh pack", 0);
          for (int t = T - 1; t >= 0; t--) {
            if (t < T - 1) { float[] tmp = dh; dh = dhPrev; dhPrev = tmp; }
            ws.lstmSteps.backward(t, t + 1, t == T - 1, t * B * H, null, c, act, ws.dGx, whh, dh, dhPrev, dc, dcPrev, curDy, 0);
            float[] tmp = dc; dc = dcPrev; dcPrev = tmp;
          }
          mark("L" + l + " bwd fused steps 64x(32x512x2048 + cell)", 2.0 * rows * gh * H);
        } else for (int t = T - 1; t >= 0; t--) {
          int prev = t * B * H;
          long a0 = now();
          for (int b = 0; b < B; b++) {
            int row = t * B + b;
            LstmCell.backward(ws.dGx, row * gh, dhPrev, b * H, dcPrev, b * H, dh, b * H, curDy, row * H,
                dc, b * H, c, prev + b * H, act, row * 5 * H, H);
          }
          long a1 = now();
          Gemm.nn(dhPrev, 0, H, ws.dGh, t * B * gh, gh, p, par.weightHh(l, 0), H, B, H, gh);
          long a2 = now();
          float[] tmp = dh; dh = dhPrev; dhPrev = tmp;
          tmp = dc; dc = dcPrev; dcPrev = tmp;
          cellMs += (a1 - a0) / 1e6;
          gemmMs += (a2 - a1) / 1e6;
        }
        if (!fused) {
          add("L" + l + " bwd cell pass", cellMs, 0);
          add("L" + l + " bwd recurrent GEMM nn 64x(32x512x2048)", gemmMs, 2.0 * rows * gh * H);
          last = now();
        }
        int inSize = l == 0 ? E : H;
        Gemm.tn(g, par.weightHh(l, 0), H, ws.dGh, 0, gh, s0, 0, H, gh, H, rows);
        mark("L" + l + " dW_hh tn (2048x512, k=2048)", 2.0 * rows * gh * H);
        Arrays.fill(ws.biasSum, 0f);
        ws.biasJobs.sumRows(ws.biasSum, 0, ws.dGx, 0, rows, gh);
        Vec.add(g, par.biasIh(l, 0), g, par.biasIh(l, 0), ws.biasSum, 0, gh);
        Vec.add(g, par.biasHh(l, 0), g, par.biasHh(l, 0), ws.biasSum, 0, gh);
        mark("L" + l + " bias grads", 0);
        if (l == 0) { // RecurrentStack.backward after forwardTokens: gate gradients summed per token
          float[] perToken = ws.perToken(V);
          ws.biasJobs.sumByToken(perToken, ws.dGx, tok, rows, V, gh);
          mark("L0 gate gradients summed by token", 0);
          Gemm.tn(g, par.weightIh(l, 0), inSize, perToken, 0, gh, p, embedOff, inSize, gh, inSize, V);
          mark("L0 dW_ih tn per token (2048x512, k=65)", 2.0 * V * gh * inSize);
          Gemm.nn(g, embedOff, inSize, perToken, 0, gh, p, par.weightIh(l, 0), inSize, V, inSize, gh);
          mark("L0 dEmbed nn per token (65x512x2048)", 2.0 * V * gh * inSize);
        } else {
          Gemm.tn(g, par.weightIh(l, 0), inSize, ws.dGx, 0, gh, inL, 0, inSize, gh, inSize, rows);
          mark("L" + l + " dW_ih tn (2048x512, k=2048)", 2.0 * rows * gh * inSize);
          Gemm.nn(dIn, 0, inSize, ws.dGx, 0, gh, p, par.weightIh(l, 0), inSize, rows, inSize, gh);
          mark("L" + l + " dInput nn (2048x512x2048)", 2.0 * rows * gh * inSize);
        }
        curDy = dIn;
      }
      GradClip.clip(store, 1.0);
      mark("clip", 0);
      adam.step(1e-4f);
      mark("adam", 0);
    }
    double total = 0, totalFlop = 0;
    System.out.printf(Locale.ROOT, "threads %d, %d measured steps (medians), %s clock, %s, load %s%n", WorkerPool.threads(),
        steps, threadIds != null ? "cpu (all threads)" : cpuClock ? "cpu" : "wall", fused ? "fused steps" : "unfused steps", loadAverage());
    System.out.printf(Locale.ROOT, "%-44s %9s %7s %8s%n", "phase", "ms", "share", "GFLOPS");
    double[] med = new double[phases];
    for (int i = 0; i < phases; i++) {
      med[i] = median(Arrays.copyOf(ms[i], steps));
      total += med[i];
      totalFlop += flops[i];
    }
    for (int i = 0; i < phases; i++)
      System.out.printf(Locale.ROOT, "%-44s %9.2f %6.1f%% %8s%n", names[i], med[i], 100 * med[i] / total,
          flops[i] > 0 ? String.format(Locale.ROOT, "%.1f", flops[i] / med[i] / 1e6) : "");
    System.out.printf(Locale.ROOT, "%-44s %9.2f  (%.0f tokens/s, %.1f GFLOPS overall)%n", "sum of phases", total,
        rows / total * 1e3, totalFlop / total / 1e6);
    double w = median(whole);
    System.out.printf(Locale.ROOT, "%-44s %9.2f  (%.0f tokens/s)%n", "real step (zero+fwd/bwd+clip+adam)", w, rows / w * 1e3);
  }

  static String loadAverage() {
    return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
