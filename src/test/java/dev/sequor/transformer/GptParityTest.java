package dev.sequor.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sequor.tensor.ParamTensor;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Logits, loss and every parameter gradient of small decoders against nanoGPT in PyTorch (committed
 * fixtures from tools/fixtures/gpt_fixtures.py): with and without biases, tied and untied heads, and
 * C = 40 with 5 heads (head width 8 — heads not a power of two).
 */
class GptParityTest {
  static List<GptFixtures.Case> cases() throws IOException { return GptFixtures.load(); }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesNanoGpt(GptFixtures.Case fx) {
    Gpt gpt = new Gpt(fx.config(), fx.vocab());
    List<String> names = gpt.params().tensors().stream().map(ParamTensor::name).toList();
    assertEquals(fx.params(), names, "parameter names and order (nanoGPT's state_dict)");
    GptFixtures.fill(gpt.params(), fx.seed());

    float[] logits = new float[fx.batch() * fx.seq() * fx.vocab()];
    gpt.logits(logits, fx.inputs(), fx.batch(), fx.seq());
    Compare.close(fx.name() + " logits", logits, 0, fx.logits(), 0, logits.length,
        Tolerances.PARITY_LOGITS_ABS, Tolerances.PARITY_LOGITS_REL);

    gpt.params().zeroGrad();
    double loss = gpt.forwardBackward(fx.inputs(), fx.targets(), fx.batch(), fx.seq(), null, null);
    assertEquals(fx.loss(), loss, Tolerances.PARITY_LOSS_ABS, fx.name() + " mean loss");
    double sum = gpt.lossSum(fx.inputs(), fx.targets(), fx.batch(), fx.seq(), null);
    assertEquals(fx.loss() * fx.batch() * fx.seq(), sum, Tolerances.PARITY_LOSS_ABS * fx.batch() * fx.seq(), fx.name() + " loss sum");

    float[] grad = gpt.params().grad;
    assertEquals(fx.grads().length, grad.length, "gradient count");
    for (ParamTensor t : gpt.params().tensors())
      Compare.close(fx.name() + " grad " + t.name() + " " + t.shapeString(), grad, t.offset(), fx.grads(), t.offset(), t.size(),
          Tolerances.PARITY_GRAD_ABS, Tolerances.PARITY_GRAD_REL);
  }
}
