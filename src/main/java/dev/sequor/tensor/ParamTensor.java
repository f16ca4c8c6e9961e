package dev.sequor.tensor;

import java.util.Arrays;

/**
 * One named parameter tensor inside a {@link ParamStore}: elements {@code [offset, offset+size)} of
 * the store's value and gradient arrays, row-major in {@code shape}. Names and shapes are the
 * checkpoint's (PyTorch's / nanoGPT's), so loading and saving is a copy by name.
 */
public record ParamTensor(String name, int offset, int[] shape) {
  public ParamTensor {
    shape = shape.clone();
    for (int d : shape) if (d < 0) throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
  }

  @Override
  public int[] shape() { return shape.clone(); }

  public int rank() { return shape.length; }

  public int dim(int i) { return shape[i]; }

  public int size() {
    long s = 1;
    for (int d : shape) s *= d;
    if (s > Integer.MAX_VALUE) throw new IllegalArgumentException(name + ": too many elements " + s);
    return (int) s;
  }

  /** Matrices and embeddings (rank ≥ 2) take weight decay; biases and norm gains do not (nanoGPT's rule). */
  public boolean decays() { return shape.length >= 2; }

  public String shapeString() { return Arrays.toString(shape); }
}
