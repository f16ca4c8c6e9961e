package dev.sequor.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All parameters of a model in one flat value array and one flat gradient array of the same length,
 * with named tensors at offsets computed once, here, by {@link Builder}. Optimizers and clipping
 * work on the whole arrays; layers address their tensors by offset.
 */
public final class ParamStore {
  /** Parameter values, all tensors back to back in declaration order. */
  public final float[] value;
  /** Gradients, same layout as {@link #value}; backward passes accumulate into it. */
  public final float[] grad;

  private final List<ParamTensor> tensors;
  private final Map<String, ParamTensor> byName;

  private ParamStore(List<ParamTensor> tensors, int total) {
    this.tensors = Collections.unmodifiableList(new ArrayList<>(tensors));
    this.byName = new LinkedHashMap<>();
    for (ParamTensor t : tensors) byName.put(t.name(), t);
    this.value = new float[total];
    this.grad = new float[total];
  }

  public static Builder builder() { return new Builder(); }

  /** Tensors in declaration order. */
  public List<ParamTensor> tensors() { return tensors; }

  /** The tensor called {@code name}; IllegalArgumentException naming it when absent. */
  public ParamTensor get(String name) {
    ParamTensor t = byName.get(name);
    if (t == null) throw new IllegalArgumentException("no parameter named '" + name + "'");
    return t;
  }

  public boolean has(String name) { return byName.containsKey(name); }

  /** Total number of scalar parameters. */
  public int size() { return value.length; }

  /** Sets every gradient to zero (backward passes accumulate). */
  public void zeroGrad() { java.util.Arrays.fill(grad, 0f); }

  /** Declares tensors; offsets are assigned in declaration order. */
  public static final class Builder {
    private final List<ParamTensor> list = new ArrayList<>();
    private final Map<String, ParamTensor> seen = new LinkedHashMap<>();
    private long next;

    /** Declares {@code name} with {@code shape}; returns its offset in the store. */
    public int add(String name, int... shape) {
      if (seen.containsKey(name)) throw new IllegalArgumentException("parameter '" + name + "' declared twice");
      ParamTensor t = new ParamTensor(name, (int) next, shape);
      next += t.size();
      if (next > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("model too large: " + next + " parameters");
      list.add(t);
      seen.put(name, t);
      return t.offset();
    }

    public ParamStore build() { return new ParamStore(list, (int) next); }
  }
}
