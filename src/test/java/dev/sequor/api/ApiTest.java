package dev.sequor.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.eval.Evaluation;
import dev.sequor.model.RecurrentSpec;
import dev.sequor.sample.SamplingOptions;
import dev.sequor.testing.TinyRnnLm;
import dev.sequor.train.TrainListener;
import dev.sequor.train.TrainResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library facade on the test model: train, save, load, evaluate, sample, stream, resume. */
class ApiTest {
  static final String TEXT = "the rain in spain stays mainly in the plain.\n".repeat(60);

  @Test
  void trainLoadEvaluateSampleStream(@TempDir Path dir) throws Exception {
    Path ck = dir.resolve("m.safetensors");
    List<Long> steps = new ArrayList<>();
    TrainResult run = Sequor.training("rnn", TEXT)
        .model(new RecurrentSpec("rnn", "tanh", 8, 16, 1))
        .configure(c -> c.steps(40).batch(4).seq(16).lr(1e-2).saveEvery(0).evalEvery(0))
        .saveTo(ck)
        .listener(new TrainListener() {
          @Override
          public boolean step(Step s) {
            steps.add(s.step());
            return true;
          }
        })
        .factory(TinyRnnLm.FACTORY)
        .run();
    assertEquals(40, steps.size());
    assertTrue(run.completed());
    assertEquals(ck, run.savedTo());

    CharModel model = CharModel.load(ck, TinyRnnLm.FACTORY);
    assertEquals("rnn", model.arch());
    assertEquals(run.checkpoint().vocab(), model.vocabulary());
    Evaluation e = model.evaluate(TEXT.substring(TEXT.length() * 9 / 10));
    assertEquals(run.validation(), e);
    assertTrue(e.bpc() < Math.log(model.vocabulary().size()) / Math.log(2), "learned something: " + e);

    StringBuilder streamed = new StringBuilder();
    String s = model.sample("the ", 60, new SamplingOptions(0.8, 5, 0.95, 42), streamed::append);
    assertEquals(s, streamed.toString());
    assertEquals(60, s.length());
    String greedy = model.stream("the ", SamplingOptions.greedy()).limit(30).collect(Collectors.joining());
    assertEquals(greedy, model.sample("the ", 30, SamplingOptions.greedy(), null));
    assertThrows(IllegalArgumentException.class, () -> model.evaluate("the QUEEN"));
  }

  @Test
  void resumeFinishesTheRun(@TempDir Path dir) throws Exception {
    Path ck = dir.resolve("r.safetensors");
    Training t = Sequor.training("rnn", TEXT).model(new RecurrentSpec("rnn", "tanh", 8, 12, 1))
        .configure(c -> c.steps(20).batch(4).seq(16).saveEvery(10)).factory(TinyRnnLm.FACTORY).saveTo(ck)
        .listener(new TrainListener() {
          @Override
          public boolean step(Step s) { return s.step() < 10; }
        });
    assertFalse(t.run().completed());
    TrainResult rest = Sequor.resume(ck, TEXT, null, TinyRnnLm.FACTORY);
    assertTrue(rest.completed());
    assertEquals(20, rest.step());
    TrainResult straight = Sequor.training("rnn", TEXT).model(new RecurrentSpec("rnn", "tanh", 8, 12, 1))
        .configure(c -> c.steps(20).batch(4).seq(16).saveEvery(10)).factory(TinyRnnLm.FACTORY).run();
    assertEquals(straight.validation(), rest.validation());
  }
}
