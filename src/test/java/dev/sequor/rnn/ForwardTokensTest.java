package dev.sequor.rnn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequor.kernel.PackedMatrix;
import dev.sequor.kernel.WorkerPool;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link RecurrentStack#forwardTokens} (input rows taken from a table by token, the first layer's
 * projection computed per table row) against {@link RecurrentStack#forward} of the gathered rows:
 * outputs and final states bit for bit; the gradients of the weights and of the table (the rows'
 * gradients scattered by token) equal up to summation order; the same bits at 1 and 2 threads.
 */
class ForwardTokensTest {
  private static final int STEPS = 5, BATCH = 3, VOCAB = 7;

  @Test
  void sameForwardBitsAndGradientsAsTheGatheredRows() {
    int units = PackedMatrix.panel() / 4;
    RecurrentConfig[] configs = {
        new RecurrentConfig(CellType.LSTM, 11, 2 * units, 2, false, true, 0f), // fused LSTM steps
        new RecurrentConfig(CellType.GRU, 11, 9, 1, true, true, 0f),          // unfused, both directions
        new RecurrentConfig(CellType.RNN_TANH, 11, 6, 2, false, false, 0f)};  // no biases
    for (RecurrentConfig cfg : configs)
      for (int[] lengths : new int[][] {null, {STEPS, 2, 1}}) {
        String what = cfg + " lengths " + (lengths != null);
        float[][] rows = pass(cfg, lengths, false);
        float[][] byToken = pass(cfg, lengths, true);
        for (int i = 0; i < 3; i++) Close.assertBitEqual(what + " forward result " + i, rows[i], 0, byToken[i], 0, rows[i].length);
        Close.assertClose(what + " parameter gradients", rows[3], byToken[3], 1e-5);
        Close.assertClose(what + " table gradient", rows[4], byToken[4], 1e-5);
        float[][] twoThreads = atTwoThreads(() -> pass(cfg, lengths, true));
        for (int i = 0; i < rows.length; i++)
          Close.assertBitEqual(what + " 2 threads, result " + i, byToken[i], 0, twoThreads[i], 0, byToken[i].length);
      }
  }

  @Test
  void rejectsTokensOutsideTheTable() {
    RecurrentConfig cfg = RecurrentConfig.of(CellType.LSTM, 4, 5, 1);
    TestNets.Net net = TestNets.random(cfg, 1);
    RecurrentWorkspace ws = net.stack().newWorkspace(2, 1);
    float[] table = new float[VOCAB * 4];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        net.stack().forwardTokens(ws, net.p(), table, 0, VOCAB, new int[] {0, VOCAB}, null, 2, null, 0, null, 0, null));
    assertTrue(e.getMessage().contains("tokens[1] = 7 outside [0, 7)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        net.stack().forwardTokens(ws, net.p(), table, 4, VOCAB, new int[] {0, 1}, null, 2, null, 0, null, 0, null));
    assertTrue(e.getMessage().contains("table: (V=7, I=4)"), e.getMessage());
  }

  // output, hn, cn (zeros for non-LSTM), parameter gradients, table gradient
  private static float[][] pass(RecurrentConfig cfg, int[] lengths, boolean byToken) {
    SplittableRandom rng = new SplittableRandom(5);
    TestNets.Net net = TestNets.random(cfg, 2);
    int in = cfg.inputSize(), rows = STEPS * BATCH;
    int states = cfg.layers() * cfg.directions() * BATCH * cfg.hidden();
    float[] table = TestNets.gaussian(VOCAB * in, 1.0, rng);
    int[] tokens = new int[rows];
    for (int r = 0; r < rows; r++) tokens[r] = rng.nextInt(VOCAB - 1); // the last token never occurs
    float[] dy = TestNets.gaussian(rows * cfg.outputSize(), 1.0, rng);
    float[] dhn = TestNets.gaussian(states, 1.0, rng);
    RecurrentWorkspace ws = net.stack().newWorkspace(STEPS, BATCH);
    float[] dTable = new float[table.length];
    if (byToken) {
      net.stack().forwardTokens(ws, net.p(), table, 0, VOCAB, tokens, lengths, STEPS, null, 0, null, 0, null);
    } else {
      float[] x = new float[rows * in];
      for (int r = 0; r < rows; r++) System.arraycopy(table, tokens[r] * in, x, r * in, in);
      net.stack().forward(ws, net.p(), x, 0, lengths, STEPS, null, 0, null, 0, null);
    }
    float[] hn = new float[states], cn = new float[states];
    net.stack().finalStates(ws, hn, 0, cfg.cell().hasCellState() ? cn : null, 0);
    float[] out = ws.output().clone();
    if (byToken) {
      net.stack().backward(ws, net.p(), net.store().grad, dy, 0, dhn, 0, null, 0, dTable, 0, null, 0, null, 0);
    } else {
      float[] dx = new float[rows * in];
      net.stack().backward(ws, net.p(), net.store().grad, dy, 0, dhn, 0, null, 0, dx, 0, null, 0, null, 0);
      for (int r = 0; r < rows; r++)
        for (int i = 0; i < in; i++) dTable[tokens[r] * in + i] += dx[r * in + i];
    }
    return new float[][] {out, hn, cn, net.store().grad, dTable};
  }

  private static float[][] atTwoThreads(java.util.function.Supplier<float[][]> body) {
    int saved = WorkerPool.threads();
    try {
      WorkerPool.setThreads(2);
      return body.get();
    } finally {
      WorkerPool.setThreads(saved);
    }
  }
}
