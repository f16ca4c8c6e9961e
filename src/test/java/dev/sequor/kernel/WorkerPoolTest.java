package dev.sequor.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
  private int savedThreads;

  @BeforeEach
  void saveThreads() { savedThreads = WorkerPool.threads(); }

  @AfterEach
  void restoreThreads() { WorkerPool.setThreads(savedThreads); }

  @Test
  void everyPartRunsExactlyOnce() {
    for (int threads = 1; threads <= 4; threads++) {
      WorkerPool.setThreads(threads);
      for (int parts = 1; parts <= 37; parts += 3) {
        AtomicIntegerArray runs = new AtomicIntegerArray(parts);
        int expectedParts = parts;
        for (int call = 0; call < 50; call++) {
          WorkerPool.run((part, n) -> {
            assertEquals(expectedParts, n);
            runs.incrementAndGet(part);
          }, parts);
        }
        for (int p = 0; p < parts; p++) assertEquals(50, runs.get(p), "threads=" + threads + " part " + p + " of " + parts);
      }
    }
  }

  @Test
  void anExceptionInAPartReachesTheCallerAndThePoolKeepsWorking() {
    WorkerPool.setThreads(2);
    var e = assertThrows(IllegalStateException.class, () -> WorkerPool.run((part, n) -> {
      if (part == 3) throw new IllegalStateException("part 3 failed");
    }, 8));
    assertEquals("part 3 failed", e.getMessage());
    AtomicIntegerArray runs = new AtomicIntegerArray(8);
    WorkerPool.run((part, n) -> runs.incrementAndGet(part), 8);
    for (int p = 0; p < 8; p++) assertEquals(1, runs.get(p));
  }

  /** Calls of at most one part per thread (home parts, stolen by the caller when late) run every part once. */
  @Test
  void onePartPerThreadRunsEveryPartOnceAndReportsAFailingPart() {
    for (int threads = 2; threads <= 4; threads++) {
      WorkerPool.setThreads(threads);
      for (int parts = 2; parts <= threads; parts++)
        for (int failing = -1; failing < parts; failing++) {
          AtomicIntegerArray runs = new AtomicIntegerArray(parts);
          int f = failing, n = parts;
          for (int call = 0; call < 30; call++) {
            WorkerPool.Job job = (part, all) -> {
              assertEquals(n, all);
              runs.incrementAndGet(part);
              if (part == f) throw new IllegalStateException("part " + f + " failed");
            };
            if (f < 0) WorkerPool.run(job, parts);
            else assertEquals("part " + f + " failed", assertThrows(IllegalStateException.class, () -> WorkerPool.run(job, n)).getMessage());
          }
          for (int p = 0; p < parts; p++)
            assertEquals(30, runs.get(p), "threads=" + threads + " parts=" + parts + " failing=" + failing + ": part " + p);
        }
    }
  }

  @Test
  void nestedAndConcurrentCallsStillComputeEveryPart() throws Exception {
    WorkerPool.setThreads(2);
    AtomicIntegerArray inner = new AtomicIntegerArray(16);
    WorkerPool.run((part, n) -> WorkerPool.run((q, m) -> inner.incrementAndGet(part * 4 + q), 4), 4);
    for (int i = 0; i < 16; i++) assertEquals(1, inner.get(i));

    // Two threads multiplying at once: one gets the pool, the other runs its parts itself.
    int m = 64, n = 300, k = 40;
    Random rnd = new Random(7);
    float[] a = new float[m * k], b = new float[k * n];
    for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat();
    for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat();
    float[] expected = new float[m * n];
    dev.sequor.kernel.ref.RefGemm.nn(expected, 0, n, a, 0, k, b, 0, n, m, n, k);
    float[][] results = new float[2][];
    Thread[] callers = new Thread[2];
    for (int t = 0; t < 2; t++) {
      int id = t;
      callers[t] = new Thread(() -> {
        for (int rep = 0; rep < 20; rep++) {
          float[] c = new float[m * n];
          Gemm.nn(c, 0, n, a, 0, k, b, 0, n, m, n, k);
          if (rep == 0 || !java.util.Arrays.equals(c, expected)) results[id] = c;
        }
      });
      callers[t].start();
    }
    for (Thread t : callers) t.join();
    assertArrayEquals(expected, results[0]);
    assertArrayEquals(expected, results[1]);
  }

  @Test
  void rejectsBadCounts() {
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.setThreads(0));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.run((p, n) -> {}, 0));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.run((p, n) -> {}, WorkerPool.MAX_PARTS + 1));
  }
}
