package dev.sequor.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.io.CheckpointFormatException;
import dev.sequor.model.LanguageModel;
import dev.sequor.model.ModelFactory;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.TokenStream;
import dev.sequor.tensor.ParamStore;
import dev.sequor.testing.TinyRnnLm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  static final String TEXT;

  static {
    StringBuilder sb = new StringBuilder();
    SplittableRandom r = new SplittableRandom(3);
    String[] words = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran"};
    while (sb.length() < 3000) sb.append(words[r.nextInt(words.length)]).append(r.nextInt(5) == 0 ? ".\n" : " ");
    TEXT = sb.toString();
  }

  static TrainConfig config(int steps) {
    return new TrainConfig(steps, 4, 16, 1e-2, 1e-3, 5, "adamw", 0.9f, 0.99f, 1e-8f, 0.9f, 0.1f, 1.0, 0f, 11, false, 0, 8, 0);
  }

  /** Records every step's loss (as raw bits) and can stop the run at a given step. */
  static final class Recorder implements TrainListener {
    final List<Long> losses = new ArrayList<>();
    final long stopAt;
    final List<Long> savedAt = new ArrayList<>();
    final List<Double> validations = new ArrayList<>();

    Recorder(long stopAt) { this.stopAt = stopAt; }

    @Override
    public boolean step(Step s) {
      losses.add(Double.doubleToRawLongBits(s.loss()));
      assertTrue(s.tokensPerSecond() > 0 && s.etaSeconds() >= 0 && s.step() <= s.steps());
      return s.step() != stopAt;
    }

    @Override
    public void saved(long step, Path checkpoint) { savedAt.add(step); }

    @Override
    public void validated(long step, double valLoss) { validations.add(valLoss); }
  }

  static Trainer fresh(TrainConfig c) {
    return Trainer.start(new TinyRnnLm.Spec(12), c, TextData.of(TEXT), TinyRnnLm.FACTORY);
  }

  @Test
  void learnsAndValidatesOnTheHeldOutSplit() throws IOException {
    TrainConfig c = config(60).toBuilder().evalEvery(20).build();
    Recorder rec = new Recorder(-1);
    TrainResult r = fresh(c).run(rec);
    assertTrue(r.completed());
    assertEquals(60, r.step());
    double first = Double.longBitsToDouble(rec.losses.get(0)), last = r.lastLoss();
    assertTrue(last < first - 0.5, "loss " + first + " -> " + last);
    assertEquals(2, rec.validations.size()); // steps 20 and 40; the last step gets the full evaluation
    assertTrue(r.validation().loss() < first, "validation " + r.validation().loss());
    assertEquals(TextData.of(TEXT).val().length - 1, r.validation().chars());
  }

  @Test
  void sameSeedSameLossesBitForBit() throws IOException {
    for (TrainConfig c : List.of(config(12), config(12).toBuilder().carry(true).dropout(0.2f).optimizer("adam").build(),
        config(12).toBuilder().optimizer("sgd").clip(0).build())) {
      Recorder a = new Recorder(-1), b = new Recorder(-1);
      Trainer ta = fresh(c), tb = fresh(c);
      ta.run(a);
      tb.run(b);
      assertEquals(a.losses, b.losses);
      assertArrayEquals(ta.model().params().value, tb.model().params().value);
    }
    Recorder other = new Recorder(-1), base = new Recorder(-1);
    fresh(config(5)).run(base);
    fresh(config(5).toBuilder().seed(12).build()).run(other);
    assertNotEquals(base.losses, other.losses);
  }

  @Test
  void resumeContinuesExactlyAsIfNotStopped(@TempDir Path dir) throws IOException {
    for (TrainConfig c : List.of(config(30).toBuilder().saveEvery(10).build(),
        config(30).toBuilder().saveEvery(10).carry(true).dropout(0.1f).evalEvery(7).build(),
        config(30).toBuilder().saveEvery(10).optimizer("sgd").build())) {
      Path straight = dir.resolve("straight.safetensors"), stopped = dir.resolve("stopped.safetensors");
      Recorder all = new Recorder(-1);
      Trainer t = fresh(c).saveTo(straight);
      TrainResult full = t.run(all);
      assertEquals(List.of(10L, 20L, 30L), all.savedAt);

      Recorder first = new Recorder(20);
      TrainResult part = fresh(c).saveTo(stopped).run(first);
      assertFalse(part.completed());
      assertEquals(20, part.step());
      assertNull(part.validation());

      Trainer resumed = Trainer.resume(stopped, TEXT, TinyRnnLm.FACTORY).saveTo(stopped);
      assertEquals(20, resumed.step());
      Recorder second = new Recorder(-1);
      TrainResult rest = resumed.run(second);
      List<Long> joined = new ArrayList<>(first.losses);
      joined.addAll(second.losses);
      assertEquals(all.losses, joined, "losses of " + c.optimizer() + (c.carry() ? " with carry" : ""));
      assertArrayEquals(t.model().params().value, resumed.model().params().value);
      assertEquals(full.validation(), rest.validation());
      assertArrayEquals(Files.readAllBytes(straight), Files.readAllBytes(stopped));
    }
  }

  @Test
  void resumeRefusesMismatchedFiles(@TempDir Path dir) throws IOException {
    Path p = dir.resolve("m.safetensors");
    fresh(config(4)).saveTo(p).run(null);
    assertThrows(IllegalArgumentException.class, () -> Trainer.resume(p, TEXT.replace("cat", "cot"), TinyRnnLm.FACTORY));
    assertThrows(IllegalArgumentException.class, () -> Trainer.resume(p, TEXT + "z", TinyRnnLm.FACTORY));
    Path other = dir.resolve("o.safetensors");
    fresh(config(3)).saveTo(other).run(null);
    Files.copy(other, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String m = assertThrows(CheckpointFormatException.class, () -> Trainer.resume(p, TEXT, TinyRnnLm.FACTORY)).getMessage();
    assertTrue(m.contains("different m.safetensors"), m);
    Files.delete(TrainState.sidecarOf(p));
    m = assertThrows(CheckpointFormatException.class, () -> Trainer.resume(p, TEXT, TinyRnnLm.FACTORY)).getMessage();
    assertTrue(m.contains("no training state"), m);
    assertEquals(dir.resolve("m.optim.safetensors"), TrainState.sidecarOf(p));
  }

  /** The tiny model, but its loss turns NaN at a given forwardBackward call. */
  static ModelFactory poisonedAt(int call) {
    return new ModelFactory() {
      public ModelSpec parse(String arch, String json) { return TinyRnnLm.FACTORY.parse(arch, json); }

      public LanguageModel create(ModelSpec spec, int v, float dropout, SplittableRandom init) {
        LanguageModel inner = TinyRnnLm.FACTORY.create(spec, v, dropout, init);
        return new LanguageModel() {
          int calls;
          public String arch() { return inner.arch(); }
          public int vocabSize() { return v; }
          public ParamStore params() { return inner.params(); }
          public String configJson() { return inner.configJson(); }
          public Carry newCarry(int b) { return inner.newCarry(b); }
          public double forwardBackward(int[] x, int[] y, int b, int t, Carry c, SplittableRandom r) {
            double l = inner.forwardBackward(x, y, b, t, c, r);
            return ++calls == call ? Double.NaN : l;
          }
          public double lossSum(int[] x, int[] y, int b, int t, Carry c) { return inner.lossSum(x, y, b, t, c); }
          public TokenStream openStream() { return inner.openStream(); }
        };
      }
    };
  }

  @Test
  void nanLossStopsWithoutOverwritingTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
    Path p = dir.resolve("m.safetensors");
    TrainConfig c = config(20).toBuilder().saveEvery(5).build();
    Recorder rec = new Recorder(-1);
    Trainer t = Trainer.start(new TinyRnnLm.Spec(12), c, TextData.of(TEXT), poisonedAt(8)).saveTo(p);
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.run(rec));
    assertTrue(e.getMessage().contains("at step 8 of 20") && e.getMessage().contains("NaN") && e.getMessage().contains("last good checkpoint"),
        e.getMessage());
    assertEquals(List.of(5L), rec.savedAt);
    assertEquals(7, rec.losses.size());
    // the step-5 checkpoint is intact and resumable
    assertEquals(5, Trainer.resume(p, TEXT, TinyRnnLm.FACTORY).step());
  }

  @Test
  void rejectsWindowsLongerThanAContext() {
    TextData d = TextData.of(TEXT);
    assertThrows(IllegalArgumentException.class,
        () -> Trainer.start(new TinyRnnLm.BlockSpec(4, 8), config(3), d, TinyRnnLm.FACTORY));
    assertThrows(IllegalArgumentException.class,
        () -> Trainer.start(new TinyRnnLm.Spec(4), config(3), TextData.of("abcdefghij".repeat(3)), TinyRnnLm.FACTORY));
  }
}
