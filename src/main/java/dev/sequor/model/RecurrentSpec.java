package dev.sequor.model;

import dev.sequor.io.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Embedding → {@code layers} stacked recurrent layers → linear head, in PyTorch's names, layouts and
 * gate orders ({@code nn.Embedding}, {@code nn.RNN/GRU/LSTM(batch_first=True)}, {@code nn.Linear}).
 */
public record RecurrentSpec(
    // "rnn", "gru" or "lstm"
    String cell,
    // "tanh" or "relu" for rnn; "tanh" for gru and lstm (their fixed nonlinearity)
    String nonlinearity,
    // embedding width E
    int embed,
    // hidden width H of every layer
    int hidden,
    // number of stacked layers L
    int layers) implements ModelSpec {

  public RecurrentSpec {
    if (!cell.equals("rnn") && !cell.equals("gru") && !cell.equals("lstm"))
      throw new IllegalArgumentException("recurrent cell must be rnn, gru or lstm, got '" + cell + "'");
    if (!nonlinearity.equals("tanh") && !(cell.equals("rnn") && nonlinearity.equals("relu")))
      throw new IllegalArgumentException(cell + ": nonlinearity must be " + (cell.equals("rnn") ? "tanh or relu" : "tanh") + ", got '" + nonlinearity + "'");
    Models.positive(cell, "embed", embed);
    Models.positive(cell, "hidden", hidden);
    Models.positive(cell, "layers", layers);
  }

  /** Gate rows per hidden unit: 1 (rnn), 3 (gru: r, z, n), 4 (lstm: i, f, g, o). */
  public int gates() {
    return switch (cell) {
      case "gru" -> 3;
      case "lstm" -> 4;
      default -> 1;
    };
  }

  @Override
  public String arch() { return cell; }

  @Override
  public int blockLength() { return 0; }

  @Override
  public long tensorCount() { return 3 + 4L * layers; }

  @Override
  public LinkedHashMap<String, int[]> tensorShapes(int vocabSize) {
    LinkedHashMap<String, int[]> m = new LinkedHashMap<>();
    int gh = Math.multiplyExact(gates(), hidden);
    m.put("embed.weight", new int[] {vocabSize, embed});
    for (int k = 0; k < layers; k++) {
      m.put("rnn.weight_ih_l" + k, new int[] {gh, k == 0 ? embed : hidden});
      m.put("rnn.weight_hh_l" + k, new int[] {gh, hidden});
      m.put("rnn.bias_ih_l" + k, new int[] {gh});
      m.put("rnn.bias_hh_l" + k, new int[] {gh});
    }
    m.put("head.weight", new int[] {vocabSize, hidden});
    m.put("head.bias", new int[] {vocabSize});
    return m;
  }

  @Override
  public String configJson() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("embed", embed);
    c.put("hidden", hidden);
    c.put("layers", layers);
    if (cell.equals("rnn")) c.put("nonlinearity", nonlinearity);
    return Json.write(c);
  }
}
