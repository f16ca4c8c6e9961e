package dev.sequor.interop;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.api.CharModel;
import dev.sequor.eval.Evaluation;
import dev.sequor.io.Json;
import dev.sequor.sample.SamplingOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints written by PyTorch (tools/make_interop_fixtures.py: nn.RNN(relu)/GRU/LSTM char models
 * and nanoGPT-style GPTs, with and without biases and tying) load into Sequor's architectures and
 * give PyTorch's evaluation loss and greedy continuation; Sequor writes them back byte for byte.
 */
class PyTorchInteropTest {
  static String resource(String name) throws IOException {
    try (InputStream in = PyTorchInteropTest.class.getResourceAsStream("/dev/sequor/interop/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Path copy(String name, Path dir) throws IOException {
    Path p = dir.resolve(name);
    try (InputStream in = PyTorchInteropTest.class.getResourceAsStream("/dev/sequor/interop/" + name)) {
      Files.copy(in, p);
    }
    return p;
  }

  @ParameterizedTest
  @ValueSource(strings = {"rnn", "gru", "lstm", "gpt", "gpt_tied"})
  void loadsPyTorchCheckpointsAndMatchesTheirLoss(String name, @TempDir Path dir) throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> expected = (Map<String, Object>) Json.parseObject(resource("expected.json")).get(name);
    String text = resource("text.txt");
    Path file = copy(name + ".safetensors", dir);
    CharModel model = CharModel.load(file);
    Evaluation e = model.evaluate(text);
    assertEquals(((Number) expected.get("chars")).longValue(), e.chars());
    assertEquals(((Number) expected.get("loss")).doubleValue(), e.loss(), 2e-5, name);
    String greedy = model.sample(text.substring(0, 5), 20, SamplingOptions.greedy(), null);
    assertEquals(expected.get("greedy"), greedy, name);
    // written back by Sequor: the same bytes (same header order and padding convention aside, the same tensors)
    Path again = dir.resolve("again.safetensors");
    model.save(again);
    CharModel reloaded = CharModel.load(again);
    assertArrayEquals(model.network().params().value, reloaded.network().params().value);
    assertEquals(e, reloaded.evaluate(text));
  }
}
