package dev.sequor.bench;

import dev.sequor.kernel.Gemv;
import dev.sequor.kernel.PackedMatrix;
import dev.sequor.kernel.WorkerPool;
import dev.sequor.kernel.ref.RefGemm;
import dev.sequor.kernel.ref.RefGemv;
import dev.sequor.kernel.simd.SimdGemv;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * SIMD GEMV against its reference: W (4H, H), y += W x (wx) and y += Wᵀ x (wtx), odd H included (H = 128
 * is the shape whose x is 8 AVX-512 vectors, held in registers by SimdGemv); and y += W x on W packed
 * once ({@link Gemv#wx(float[], int, PackedMatrix, float[], int)}, the layout streaming models use).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemvBench {
  @Param({"127", "128", "256", "512", "1024"})
  int hidden;

  @Param({"1"})
  int threads;

  float[] w, x, y;
  PackedMatrix packed;
  int rows, cols;

  @Setup
  public void setup() {
    WorkerPool.setThreads(threads);
    rows = 4 * hidden;
    cols = hidden;
    Random rnd = new Random(3);
    w = new float[rows * cols];
    x = new float[rows];
    y = new float[rows];
    for (int i = 0; i < w.length; i++) w[i] = rnd.nextFloat() - 0.5f;
    for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat() - 0.5f;
    packed = PackedMatrix.ofTransposed(w, 0, cols, rows, cols);
  }

  @Benchmark
  public float[] wxSimd() { SimdGemv.wx(y, 0, w, 0, cols, x, 0, rows, cols); return y; }

  @Benchmark
  public float[] wxReference() { RefGemv.wx(y, 0, w, 0, cols, x, 0, rows, cols); return y; }

  @Benchmark
  public float[] wxPacked() { Gemv.wx(y, 0, packed, x, 0); return y; }

  @Benchmark
  public float[] wxPackedReference() { RefGemm.nnPacked(y, 0, rows, x, 0, cols, packed, 1); return y; }

  @Benchmark
  public float[] wtxSimd() { SimdGemv.wtx(y, 0, w, 0, cols, x, 0, rows, cols); return y; }

  @Benchmark
  public float[] wtxReference() { RefGemv.wtx(y, 0, w, 0, cols, x, 0, rows, cols); return y; }
}
