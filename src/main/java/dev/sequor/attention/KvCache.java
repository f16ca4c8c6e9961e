package dev.sequor.attention;

/**
 * Keys and values of the tokens seen so far, per layer, for incremental (KV-cached) decoding. Layer
 * l's values are a row-major (capacity, C) matrix whose row j is token j's value, all heads side by
 * side (head h in columns h·hd ..); its keys are stored transposed, (C, capacity): column j is token
 * j's key, head h in rows h·hd .., so a query's scores are a product that streams the keys in place.
 * A new token appends one column of keys and one row of values per layer and attends over those
 * before it, so decoding a token costs one token's projections instead of re-running the context.
 * math/attention.md (12)
 */
public final class KvCache {
  private final int layers, capacity, dModel;
  private final float[][] keys, values;

  public KvCache(int layers, int capacity, int dModel) {
    if (layers <= 0 || capacity <= 0 || dModel <= 0)
      throw new IllegalArgumentException("KV cache needs positive layers, capacity, d_model; got "
          + layers + ", " + capacity + ", " + dModel);
    this.layers = layers;
    this.capacity = capacity;
    this.dModel = dModel;
    this.keys = new float[layers][capacity * dModel];
    this.values = new float[layers][capacity * dModel];
  }

  public int layers() { return layers; }

  /** Rows each layer holds (the model's context). */
  public int capacity() { return capacity; }

  public int dModel() { return dModel; }

  /** Layer l's keys, transposed: (C, capacity) row-major. */
  public float[] keys(int layer) { return keys[layer]; }

  /** Layer l's values, (capacity, C) row-major. */
  public float[] values(int layer) { return values[layer]; }
}
