package dev.sequor.model;

import java.util.LinkedHashMap;

/**
 * A validated architecture description: what a checkpoint's {@code arch} and {@code config} say,
 * independent of any weights. It knows the exact tensor names and shapes the checkpoint contract
 * requires, so a loader can check a file against it before allocating a model.
 */
public interface ModelSpec {
  /** The checkpoint's {@code arch}. */
  String arch();

  /** Every tensor the contract requires for a vocabulary of {@code vocabSize}, name → shape. */
  LinkedHashMap<String, int[]> tensorShapes(int vocabSize);

  /** How many tensors {@link #tensorShapes} lists, computed without listing them. */
  long tensorCount();

  /** The checkpoint's {@code config} JSON object. */
  String configJson();

  /**
   * The window length the model is evaluated on: the context for a block model (GPT), 0 for a
   * model that reads a text as one stream with carried state.
   */
  int blockLength();
}
