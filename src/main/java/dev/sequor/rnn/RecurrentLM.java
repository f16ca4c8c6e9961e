package dev.sequor.rnn;

import dev.sequor.kernel.CrossEntropy;
import dev.sequor.kernel.Gemm;
import dev.sequor.kernel.Vec;
import dev.sequor.model.LanguageModel;
import dev.sequor.model.TokenStream;
import dev.sequor.tensor.ParamStore;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The recurrent character-level language model: {@code embed} (V, E) → a unidirectional RNN/GRU/LSTM
 * stack {@code rnn.*} (PyTorch names) → a linear head {@code head} (V, H) + (V), trained on the mean
 * cross-entropy of next-token prediction. Tensors and names are PyTorch's
 * ({@code nn.Embedding}, {@code nn.LSTM}, {@code nn.Linear}), so a checkpoint is a copy by name.
 *
 * <p>Training is single-threaded at the call level (the kernels use the worker pool underneath): one
 * model instance, one training loop. Generation goes through immutable {@link #snapshot() snapshots}
 * shared by any number of streams.
 */
public final class RecurrentLM implements LanguageModel {
  private final RecurrentLmConfig config;
  private final RecurrentConfig stackConfig;
  private final int vocab, embed, hidden;
  private final ParamStore store;
  private final int embedOff, headWOff, headBOff;
  private final RecurrentParams layout;
  private final RecurrentStack stack;
  private Buffers train, eval; // per (batch, seq) shape, reused across calls
  private StreamEval streamEval; // batch-1 loss sums: a snapshot and the weights it was taken from

  /** A model for {@code vocabSize} tokens; parameters are zero until {@link #initialize}. */
  public RecurrentLM(RecurrentLmConfig config, int vocabSize) {
    if (config == null) throw new IllegalArgumentException("config is null");
    if (vocabSize < 1) throw new IllegalArgumentException("vocabSize must be >= 1, got " + vocabSize);
    this.config = config;
    this.stackConfig = config.stack();
    this.vocab = vocabSize;
    this.embed = config.embed();
    this.hidden = config.hidden();
    ParamStore.Builder b = ParamStore.builder();
    embedOff = b.add("embed.weight", vocab, embed);
    layout = RecurrentParams.declare(b, "rnn.", stackConfig);
    headWOff = b.add("head.weight", vocab, hidden);
    headBOff = b.add("head.bias", vocab);
    store = b.build();
    stack = new RecurrentStack(layout);
  }

  /**
   * PyTorch's default initialisation, drawn in declaration order: embedding N(0, 1), the stack
   * U(−1/√H, 1/√H), head weight and bias U(−1/√H, 1/√H) (nn.Linear's bound 1/√fan_in, fan_in = H).
   */
  public void initialize(SplittableRandom rng) {
    for (int i = 0; i < vocab * embed; i++) store.value[embedOff + i] = (float) rng.nextGaussian();
    layout.initialize(store.value, rng);
    float bound = (float) (1.0 / Math.sqrt(hidden));
    RecurrentParams.uniform(store.value, headWOff, vocab * hidden, bound, rng);
    RecurrentParams.uniform(store.value, headBOff, vocab, bound, rng);
  }

  public RecurrentLmConfig config() { return config; }

  @Override
  public String arch() { return config.cellType().arch(); }

  @Override
  public int vocabSize() { return vocab; }

  @Override
  public ParamStore params() { return store; }

  @Override
  public String configJson() {
    String json = "{\"embed\":" + embed + ",\"hidden\":" + hidden + ",\"layers\":" + config.layers();
    CellType cell = config.cellType();
    if (cell.nonlinearity() != null) json += ",\"nonlinearity\":\"" + cell.nonlinearity() + "\"";
    return json + "}";
  }

  @Override
  public Carry newCarry(int batch) { return new RecurrentCarry(stackConfig, batch); }

  @Override
  public double forwardBackward(int[] inputs, int[] targets, int batch, int seq, Carry carry, SplittableRandom rng) {
    Buffers buf = train = Buffers.reuse(train, stackConfig, vocab, batch, seq);
    RecurrentCarry rc = checkCarry(carry, batch);
    forward(buf, inputs, targets, batch, seq, rc, rng);
    int rows = batch * seq;
    float[] p = store.value, g = store.grad;
    Arrays.fill(buf.dlogits, 0, rows * vocab, 0f);
    double sum = CrossEntropy.forwardBackward(buf.dlogits, 0, buf.logits, 0, buf.targets, 0, rows, vocab, 1f / rows);
    float[] y = buf.ws.output();
    // head: dW += dlogitsᵀ y, db += Σ dlogits, dy = dlogits W
    Gemm.tn(g, headWOff, hidden, buf.dlogits, 0, vocab, y, 0, hidden, vocab, hidden, rows);
    Vec.sumRows(g, headBOff, buf.dlogits, 0, vocab, rows, vocab);
    Arrays.fill(buf.dy, 0, rows * hidden, 0f);
    Gemm.nn(buf.dy, 0, hidden, buf.dlogits, 0, vocab, p, headWOff, hidden, rows, hidden, vocab);
    // the embedding's gradient straight into g: the stack took its rows by token (forwardTokens)
    stack.backward(buf.ws, p, g, buf.dy, 0, null, 0, null, 0, g, embedOff, null, 0, null, 0);
    if (rc != null) stack.finalStates(buf.ws, rc.h, 0, rc.c, 0); // carried on, no gradient into it
    return sum / rows;
  }

  /**
   * {@inheritDoc}
   *
   * <p>One sequence (batch 1, e.g. evaluation reading a text as one stream) goes through a streaming
   * snapshot of the current weights, whose batch-1 steps split across cores instead of running GEMMs
   * with one row; equal bit for bit to the training forward ({@link #forwardLossSum}): the streamed
   * states equal the forward's, the head is one GEMM over the window with the same chains, and the
   * cross-entropy sums the same rows in the same order.
   */
  @Override
  public double lossSum(int[] inputs, int[] targets, int batch, int seq, Carry carry) {
    if (batch != 1) return forwardLossSum(inputs, targets, batch, seq, carry);
    RecurrentCarry rc = checkCarry(carry, 1);
    if (seq < 1) throw new IllegalArgumentException("batch and seq must be >= 1, got " + batch + ", " + seq);
    checkTokens("inputs", inputs, seq);
    checkTokens("targets", targets, seq);
    StreamEval se = streamEval();
    se.ensure(seq);
    if (rc != null) se.state.setState(rc.h, 0, rc.c, 0);
    else se.state.reset();
    double sum = se.snapshot.lossSum(se.state, inputs, targets, seq, se.x, se.y, se.logits);
    if (rc != null) {
      se.state.hidden(rc.h, 0);
      if (rc.c != null) se.state.cell(rc.c, 0);
    }
    return sum;
  }

  // the snapshot of the current weights for batch-1 loss sums, rebuilt only when the weights changed
  private StreamEval streamEval() {
    if (streamEval == null || !Arrays.equals(streamEval.values, store.value))
      streamEval = new StreamEval(snapshot(), store.value.clone());
    return streamEval;
  }

  /** The loss sum through the training forward over the whole (batch, seq) window, for any batch. */
  double forwardLossSum(int[] inputs, int[] targets, int batch, int seq, Carry carry) {
    Buffers buf = eval = Buffers.reuse(eval, stackConfig, vocab, batch, seq);
    RecurrentCarry rc = checkCarry(carry, batch);
    forward(buf, inputs, targets, batch, seq, rc, null);
    double sum = CrossEntropy.forwardBackward(null, 0, buf.logits, 0, buf.targets, 0, batch * seq, vocab, 0f);
    if (rc != null) stack.finalStates(buf.ws, rc.h, 0, rc.c, 0);
    return sum;
  }

  @Override
  public TokenStream openStream() { return snapshot().openStream(); }

  /**
   * An immutable copy of the current weights for generation, shared by any number of streams
   * (later training does not affect it). {@link #openStream} takes a fresh snapshot each call.
   */
  public RecurrentLmSnapshot snapshot() {
    float[] p = store.value;
    float[] emb = Arrays.copyOfRange(p, embedOff, embedOff + vocab * embed);
    float[] headT = new float[hidden * vocab];
    Rows.transpose(headT, 0, p, headWOff, vocab, hidden);
    float[] bias = Arrays.copyOfRange(p, headBOff, headBOff + vocab);
    return new RecurrentLmSnapshot(vocab, embed, hidden, emb, RecurrentModel.of(layout, p), headT, bias);
  }

  // embedding → stack → logits (T·B, V) time-major, targets permuted to match
  private void forward(Buffers buf, int[] inputs, int[] targets, int batch, int seq, RecurrentCarry rc, SplittableRandom rng) {
    int rows = batch * seq;
    checkTokens("inputs", inputs, rows);
    checkTokens("targets", targets, rows);
    float[] p = store.value;
    for (int b = 0; b < batch; b++)
      for (int t = 0; t < seq; t++) {
        int r = t * batch + b, tok = inputs[b * seq + t];
        buf.tokens[r] = tok;
        buf.targets[r] = targets[b * seq + t];
      }
    // x[r] = embed[tokens[r]]: the stack projects each embedding row once and gathers (same bits)
    stack.forwardTokens(buf.ws, p, p, embedOff, vocab, buf.tokens, null, seq, rc == null ? null : rc.h, 0,
        rc == null ? null : rc.c, 0, rng);
    Rows.fill(buf.logits, 0, rows, vocab, p, headBOff);
    Gemm.nt(buf.logits, 0, vocab, buf.ws.output(), 0, hidden, p, headWOff, hidden, rows, vocab, hidden);
  }

  private void checkTokens(String what, int[] tokens, int n) {
    if (tokens == null) throw new IllegalArgumentException(what + " is null");
    if (tokens.length < n) throw new IllegalArgumentException(what + " has " + tokens.length + " tokens, batch x seq needs " + n);
    for (int i = 0; i < n; i++)
      if (tokens[i] < 0 || tokens[i] >= vocab)
        throw new IllegalArgumentException(what + "[" + i + "] = " + tokens[i] + " outside vocabulary of " + vocab);
  }

  private static RecurrentCarry checkCarry(Carry carry, int batch) {
    if (carry == null) return null;
    if (!(carry instanceof RecurrentCarry rc)) throw new IllegalArgumentException("carry was not made by a RecurrentLM");
    if (rc.batch != batch) throw new IllegalArgumentException("carry is for batch " + rc.batch + ", not " + batch);
    return rc;
  }

  /** A streaming snapshot, the parameter values it was taken from, one stream and its buffers. */
  private final class StreamEval {
    final RecurrentLmSnapshot snapshot;
    final float[] values;
    final RecurrentState state;
    float[] x = new float[0], y = new float[0], logits = new float[0];

    StreamEval(RecurrentLmSnapshot snapshot, float[] values) {
      this.snapshot = snapshot;
      this.values = values;
      this.state = snapshot.rnn.newState();
    }

    void ensure(int seq) {
      if (logits.length < seq * vocab) {
        x = new float[seq * embed];
        y = new float[seq * hidden];
        logits = new float[seq * vocab];
      }
    }
  }

  /** Activations of one (batch, seq) shape. */
  private static final class Buffers {
    final int batch, seq;
    final RecurrentWorkspace ws;
    final int[] tokens, targets;
    final float[] logits, dlogits, dy;

    private Buffers(RecurrentConfig cfg, int vocab, int batch, int seq) {
      if (batch < 1 || seq < 1) throw new IllegalArgumentException("batch and seq must be >= 1, got " + batch + ", " + seq);
      if ((long) batch * seq * Math.max(vocab, Math.max(cfg.inputSize(), cfg.hidden())) > Integer.MAX_VALUE - 8)
        throw new IllegalArgumentException("batch " + batch + " x seq " + seq + " too large");
      this.batch = batch;
      this.seq = seq;
      int rows = batch * seq;
      ws = new RecurrentWorkspace(cfg, seq, batch);
      tokens = new int[rows];
      targets = new int[rows];
      logits = new float[rows * vocab];
      dlogits = new float[rows * vocab];
      dy = new float[rows * cfg.hidden()];
    }

    static Buffers reuse(Buffers old, RecurrentConfig cfg, int vocab, int batch, int seq) {
      return old != null && old.batch == batch && old.seq == seq ? old : new Buffers(cfg, vocab, batch, seq);
    }
  }
}
