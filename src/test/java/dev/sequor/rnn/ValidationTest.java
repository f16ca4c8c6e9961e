package dev.sequor.rnn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input gets an IllegalArgumentException whose message names what is wrong. */
class ValidationTest {
  private static void rejects(String fragment, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention '" + fragment + "'");
  }

  private final TestNets.Net lstm = TestNets.random(RecurrentConfig.of(CellType.LSTM, 3, 4, 2), 1);
  private final TestNets.Net gru = TestNets.random(RecurrentConfig.of(CellType.GRU, 3, 4, 1), 2);

  @Test
  void configs() {
    rejects("hidden", () -> RecurrentConfig.of(CellType.GRU, 3, 0, 1));
    rejects("inputSize", () -> RecurrentConfig.of(CellType.GRU, 0, 3, 1));
    rejects("layers", () -> RecurrentConfig.of(CellType.GRU, 3, 3, 0));
    rejects("dropout", () -> new RecurrentConfig(CellType.GRU, 3, 3, 2, false, true, 1f));
    rejects("dropout", () -> new RecurrentConfig(CellType.GRU, 3, 3, 2, false, true, Float.NaN));
    rejects("cell \"transformer\"", () -> CellType.of("transformer", null));
    rejects("nonlinearity \"sigmoid\"", () -> CellType.of("rnn", "sigmoid"));
    rejects("only to cell \"rnn\"", () -> CellType.of("lstm", "relu"));
  }

  @Test
  void wrongSizes() {
    RecurrentWorkspace ws = lstm.stack().newWorkspace(5, 2);
    float[] p = lstm.p();
    rejects("x: (T=5, B=2, I=3) needs 30", () -> lstm.stack().forward(ws, p, new float[29], 0, null, 5, null, 0, null, 0, null));
    rejects("x: (T=5, B=2, I=3) needs 30 floats from offset 1, array has 30", () -> lstm.stack().forward(ws, p, new float[30], 1, null, 5, null, 0, null, 0, null));
    rejects("steps 6 outside [1, 5]", () -> lstm.stack().forward(ws, p, new float[36], 0, null, 6, null, 0, null, 0, null));
    rejects("h0", () -> lstm.stack().forward(ws, p, new float[30], 0, null, 5, new float[15], 0, null, 0, null));
    rejects("c0", () -> lstm.stack().forward(ws, p, new float[30], 0, null, 5, null, 0, new float[15], 0, null));
    rejects("c0: only the LSTM", () -> gru.stack().forward(gru.stack().newWorkspace(5, 2), gru.p(), new float[30], 0, null, 5, null, 0, new float[8], 0, null));
    rejects("workspace was made for", () -> gru.stack().forward(ws, gru.p(), new float[30], 0, null, 5, null, 0, null, 0, null));
    rejects("parameters", () -> lstm.stack().forward(ws, new float[10], new float[30], 0, null, 5, null, 0, null, 0, null));
    rejects("backward before forward", () -> lstm.stack().backward(lstm.stack().newWorkspace(2, 2), p, lstm.store().grad,
        null, 0, null, 0, null, 0, null, 0, null, 0, null, 0));
    lstm.stack().forward(ws, p, new float[30], 0, null, 5, null, 0, null, 0, null);
    rejects("dy", () -> lstm.stack().backward(ws, p, lstm.store().grad, new float[39], 0, null, 0, null, 0, null, 0, null, 0, null, 0));
    rejects("dx", () -> lstm.stack().backward(ws, p, lstm.store().grad, null, 0, null, 0, null, 0, new float[29], 0, null, 0, null, 0));
  }

  @Test
  void lengthsOutOfRange() {
    RecurrentWorkspace ws = gru.stack().newWorkspace(5, 2);
    rejects("lengths[1] = 6 outside [1, 5]", () -> gru.stack().forward(ws, gru.p(), new float[30], 0, new int[] {5, 6}, 5, null, 0, null, 0, null));
    rejects("lengths[0] = 0 outside [1, 4]", () -> gru.stack().forward(ws, gru.p(), new float[30], 0, new int[] {0, 4}, 4, null, 0, null, 0, null));
    rejects("lengths has 3 entries for batch 2", () -> gru.stack().forward(ws, gru.p(), new float[30], 0, new int[] {1, 2, 3}, 5, null, 0, null, 0, null));
  }

  @Test
  void nonFiniteInputWhenGuarded() {
    RecurrentWorkspace ws = gru.stack().newWorkspace(5, 2).guardNonFinite(true);
    float[] x = new float[30];
    x[(3 * 2 + 1) * 3 + 2] = Float.NaN;
    rejects("x is NaN at step 3, sequence 1, feature 2", () -> gru.stack().forward(ws, gru.p(), x, 0, null, 5, null, 0, null, 0, null));
    // past the sequence's length the value is padding and never read
    gru.stack().forward(ws, gru.p(), x, 0, new int[] {5, 3}, 5, null, 0, null, 0, null);
    float[] h0 = new float[8];
    h0[5] = Float.POSITIVE_INFINITY;
    rejects("h0 is Infinity at index 5", () -> gru.stack().forward(ws, gru.p(), new float[30], 0, null, 5, h0, 0, null, 0, null));

    RecurrentModel model = RecurrentModel.of(gru.layout(), gru.p()).withNonFiniteGuard(true);
    rejects("x is NaN at feature 1", () -> model.newState().step(new float[] {0, Float.NaN, 0}, 0));
    rejects("xs is -Infinity at step 1, feature 0", () -> model.newState().feed(new float[] {0, 0, 0, Float.NEGATIVE_INFINITY, 0, 0}, 0, 2, null, 0));
  }

  @Test
  void streamingMisuse() {
    RecurrentModel model = RecurrentModel.of(gru.layout(), gru.p());
    RecurrentState st = model.newState();
    rejects("x (I=3)", () -> st.step(new float[2], 0));
    rejects("out (H=4)", () -> st.step(new float[3], 0, new float[3], 0));
    rejects("xs (steps=2, I=3)", () -> st.feed(new float[5], 0, 2, null, 0));
    rejects("c: only the LSTM", () -> st.setState(new float[4], 0, new float[4], 0));
    rejects("same stream", () -> model.step(new RecurrentState[] {st, st}, 2, new float[6], 0, null, 0));
    RecurrentState other = RecurrentModel.of(gru.layout(), gru.p()).newState();
    rejects("another model", () -> model.step(new RecurrentState[] {st, other}, 2, new float[6], 0, null, 0));
    TestNets.Net bi = TestNets.random(new RecurrentConfig(CellType.GRU, 3, 4, 1, true, true, 0f), 3);
    rejects("bidirectional stack cannot stream", () -> RecurrentModel.of(bi.layout(), bi.p()));
  }
}
