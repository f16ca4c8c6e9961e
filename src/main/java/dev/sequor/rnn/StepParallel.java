package dev.sequor.rnn;

/**
 * Runs the parts of one streaming step. PLACEHOLDER until the kernel worker pool is on main: parts run
 * one after another on the caller (results are identical either way: parts never share an output).
 */
final class StepParallel {
  interface Job {
    void run(int part, int parts);
  }

  private StepParallel() {}

  static int threads() { return 1; }

  static void run(Job job, int parts) {
    for (int p = 0; p < parts; p++) job.run(p, parts);
  }
}
