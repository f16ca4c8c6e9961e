package dev.sequor.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.kernel.WorkerPool;
import dev.sequor.model.GptSpec;
import dev.sequor.model.ModelSpec;
import dev.sequor.model.RecurrentSpec;
import dev.sequor.model.Models;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same seed gives the same losses and weights bit for bit whatever the number of kernel threads. */
class ThreadCountDeterminismTest {
  @Test
  void gptTrainingIsBitIdenticalAcrossThreadCounts() throws IOException {
    // large enough that the GEMMs split over the worker pool (m·n·k above its parallel threshold)
    GptSpec spec = new GptSpec(64, 4, 1, 32, true, false);
    TrainConfig cfg = Recipes.config("gpt").toBuilder().steps(4).batch(6).seq(32).warmup(2).dropout(0.1f).evalEvery(0).saveEvery(0).build();
    assertSameAtAllThreadCounts(spec, cfg);
  }

  @Test
  void lstmTrainingIsBitIdenticalAcrossThreadCounts() throws IOException {
    // hidden 80: the fused per-step LSTM jobs (5 panels of units) split over the pool, as do the
    // tall gradient GEMMs and the Adam update (> 64K parameters)
    RecurrentSpec spec = new RecurrentSpec("lstm", "tanh", 16, 80, 2);
    TrainConfig cfg = Recipes.config("lstm").toBuilder().steps(3).batch(8).seq(16).warmup(1).evalEvery(0).saveEvery(0).build();
    assertSameAtAllThreadCounts(spec, cfg);
  }

  private static void assertSameAtAllThreadCounts(ModelSpec spec, TrainConfig cfg) throws IOException {
    String text = TrainerTest.TEXT;
    int saved = WorkerPool.threads();
    List<List<Long>> losses = new ArrayList<>();
    List<float[]> weights = new ArrayList<>();
    try {
      for (int threads : new int[] {1, 2, 3}) {
        WorkerPool.setThreads(threads);
        List<Long> l = new ArrayList<>();
        Trainer t = Trainer.start(spec, cfg, TextData.of(text), Models.STANDARD);
        TrainResult r = t.run(new TrainListener() {
          @Override
          public boolean step(Step s) {
            l.add(Double.doubleToRawLongBits(s.loss()));
            return true;
          }
        });
        l.add(Double.doubleToRawLongBits(r.validation().loss()));
        losses.add(l);
        weights.add(t.model().params().value.clone());
      }
    } finally {
      WorkerPool.setThreads(saved);
    }
    assertEquals(losses.get(0), losses.get(1));
    assertEquals(losses.get(0), losses.get(2));
    assertArrayEquals(weights.get(0), weights.get(1));
    assertArrayEquals(weights.get(0), weights.get(2));
  }
}
