package dev.sequor.transformer;

/** Per-stream scratch for cached forwards of up to {@code rows} tokens at once (the context). */
final class DecodeScratch {
  final float[] x, ln, mean, rstd, qkv, yh, tmp, fc, gelu, probs;

  DecodeScratch(int rows, int c) {
    x = new float[rows * c];
    ln = new float[rows * c];
    mean = new float[rows];
    rstd = new float[rows];
    qkv = new float[rows * 3 * c];
    yh = new float[rows * c];
    tmp = new float[rows * c];
    fc = new float[rows * 4 * c];
    gelu = new float[rows * 4 * c];
    probs = new float[rows * rows];
  }
}
