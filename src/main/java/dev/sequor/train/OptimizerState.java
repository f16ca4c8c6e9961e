package dev.sequor.train;

import java.util.Map;

/** Helpers for restoring optimizer state arrays from a sidecar. */
final class OptimizerState {
  private OptimizerState() {}

  static void copyInto(String optimizer, Map<String, float[]> state, String key, float[] dst) {
    float[] src = state.get(key);
    if (src == null) throw new IllegalArgumentException(optimizer + " state is missing '" + key + "'");
    if (src.length != dst.length)
      throw new IllegalArgumentException(optimizer + " state '" + key + "' has " + src.length + " elements, the model " + dst.length);
    System.arraycopy(src, 0, dst, 0, dst.length);
  }
}
