package dev.sequor.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequor.tensor.ParamStore;
import dev.sequor.tensor.ParamTensor;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Parity with PyTorch 1.13 from committed fixtures (tools/fixtures/rnn_fixtures.py): RNN tanh/relu,
 * GRU, LSTM, 1–3 layers, bidirectional, variable lengths, no bias, odd sizes (input 13, hidden 37).
 * Outputs and final states within 1e-5 relative, every gradient within 1e-4.
 */
class TorchParityTest {
  @TestFactory
  Stream<DynamicTest> matchesPyTorch() throws IOException {
    List<TorchFixtures.Case> cases = TorchFixtures.load();
    assertTrue(cases.size() >= 8, "fixture cases: " + cases.size());
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private static void check(TorchFixtures.Case fx) {
    RecurrentConfig cfg = fx.config();
    ParamStore.Builder builder = ParamStore.builder();
    RecurrentParams layout = RecurrentParams.declare(builder, "", cfg);
    ParamStore store = builder.build();
    for (ParamTensor t : store.tensors()) {
      float[] v = fx.tensor(t.name());
      assertTrue(java.util.Arrays.equals(fx.shapes().get(t.name()), t.shape()), t.name() + " shape");
      System.arraycopy(v, 0, store.value, t.offset(), t.size());
    }
    int steps = fx.integer("steps"), batch = fx.integer("batch");
    RecurrentStack stack = new RecurrentStack(layout);
    RecurrentWorkspace ws = stack.newWorkspace(steps, batch);
    boolean lstm = cfg.cell().hasCellState();
    float[] h0 = fx.has("h0") ? fx.tensor("h0") : null;
    float[] c0 = fx.has("c0") ? fx.tensor("c0") : null;
    stack.forward(ws, store.value, fx.tensor("x"), 0, fx.lengths(), steps, h0, 0, c0, 0, null);

    float[] out = fx.tensor("out");
    Close.assertClose(fx.name() + " output", out, 0, ws.output(), 0, out.length, Close.OUTPUT_RTOL);
    float[] hn = new float[fx.tensor("hn").length];
    float[] cn = lstm ? new float[hn.length] : null;
    stack.finalStates(ws, hn, 0, cn, 0);
    Close.assertClose(fx.name() + " hn", fx.tensor("hn"), hn, Close.OUTPUT_RTOL);
    if (lstm) Close.assertClose(fx.name() + " cn", fx.tensor("cn"), cn, Close.OUTPUT_RTOL);

    float[] dx = new float[fx.tensor("x").length];
    float[] dh0 = h0 != null ? new float[h0.length] : null;
    float[] dc0 = c0 != null ? new float[c0.length] : null;
    stack.backward(ws, store.value, store.grad, fx.tensor("wy"), 0, fx.tensor("wh"), 0,
        lstm ? fx.tensor("wc") : null, 0, dx, 0, dh0, 0, dc0, 0);
    for (ParamTensor t : store.tensors())
      Close.assertClose(fx.name() + " grad " + t.name(), fx.tensor("grad." + t.name()), 0, store.grad, t.offset(),
          t.size(), Close.GRADIENT_RTOL);
    Close.assertClose(fx.name() + " grad x", fx.tensor("grad.x"), dx, Close.GRADIENT_RTOL);
    if (dh0 != null) Close.assertClose(fx.name() + " grad h0", fx.tensor("grad.h0"), dh0, Close.GRADIENT_RTOL);
    if (dc0 != null) Close.assertClose(fx.name() + " grad c0", fx.tensor("grad.c0"), dc0, Close.GRADIENT_RTOL);
  }
}
