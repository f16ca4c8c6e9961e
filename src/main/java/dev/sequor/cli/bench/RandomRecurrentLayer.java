package dev.sequor.cli.bench;

import dev.sequor.rnn.CellType;
import dev.sequor.rnn.RecurrentConfig;
import dev.sequor.rnn.RecurrentParams;
import dev.sequor.tensor.ParamStore;
import java.util.SplittableRandom;

/**
 * One recurrent layer with input size = hidden size and PyTorch's default initialisation drawn from
 * {@code rng}: the model every recurrent benchmark measures (quick bench and JMH alike).
 */
public record RandomRecurrentLayer(RecurrentParams layout, float[] values) {
  public static RandomRecurrentLayer of(CellType cell, int hidden, SplittableRandom rng) {
    ParamStore.Builder b = ParamStore.builder();
    RecurrentParams layout = RecurrentParams.declare(b, "", RecurrentConfig.of(cell, hidden, hidden, 1));
    ParamStore store = b.build();
    layout.initialize(store.value, rng);
    return new RandomRecurrentLayer(layout, store.value);
  }
}
