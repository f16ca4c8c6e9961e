package dev.sequor.rnn;

import dev.sequor.model.TokenStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One immutable snapshot serves many streams on many threads; each stream is unaffected by the others. */
class SharedModelTest {
  @Test
  void streamsOnManyThreadsMatchStreamsAlone() throws Exception {
    JitWarmup.cells();
    int vocab = 11, streams = 8, length = 60;
    RecurrentLM lm = new RecurrentLM(new RecurrentLmConfig("lstm", null, 8, 24, 2, 0f), vocab);
    lm.initialize(new SplittableRandom(1));
    RecurrentLmSnapshot snapshot = lm.snapshot();
    SplittableRandom rng = new SplittableRandom(2);
    int[][] tokens = new int[streams][length];
    for (int[] t : tokens) for (int i = 0; i < length; i++) t[i] = rng.nextInt(vocab);

    float[][] alone = new float[streams][vocab];
    for (int s = 0; s < streams; s++) {
      TokenStream st = snapshot.openStream();
      for (int i = 0; i < length; i++) st.feed(tokens[s][i], alone[s]);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        int[] t = tokens[s];
        results.add(pool.submit(() -> {
          TokenStream st = snapshot.openStream();
          float[] logits = new float[vocab];
          for (int i = 0; i < length; i++) {
            st.feed(t[i], logits);
            Thread.yield(); // interleave the threads' steps
          }
          return logits;
        }));
      }
      for (int s = 0; s < streams; s++) Close.assertBitEqual("stream " + s, alone[s], 0, results.get(s).get(), 0, vocab);
    } finally {
      pool.shutdownNow();
    }
  }
}
