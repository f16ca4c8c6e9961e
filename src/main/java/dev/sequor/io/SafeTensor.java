package dev.sequor.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a safetensors file as read: its name, dtype, shape and raw little-endian bytes
 * (a read-only view into the file's data section).
 */
public record SafeTensor(String name, DType dtype, int[] shape, ByteBuffer bytes) {
  public SafeTensor {
    shape = shape.clone();
    bytes = bytes.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public int[] shape() { return shape.clone(); }

  /** Number of elements (the product of the shape; 1 for a scalar). */
  public int elements() { return bytes.remaining() / dtype.bytes; }

  public String shapeString() { return Arrays.toString(shape); }

  /** Converts to float32 into {@code dst[off .. off+elements())}; BF16 widens exactly. */
  public void copyTo(float[] dst, int off) {
    int n = elements();
    if (off < 0 || off + n > dst.length)
      throw new IllegalArgumentException("tensor '" + name + "': " + n + " elements do not fit at offset " + off + " of " + dst.length);
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case F32 -> b.asFloatBuffer().get(dst, off, n);
      case BF16 -> {
        // bf16 is the upper half of an f32: widen by shifting its 16 bits into the high half
        for (int i = 0; i < n; i++) dst[off + i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
      }
    }
  }

  /** The values as a new float32 array. */
  public float[] toFloats() {
    float[] out = new float[elements()];
    copyTo(out, 0);
    return out;
  }
}
