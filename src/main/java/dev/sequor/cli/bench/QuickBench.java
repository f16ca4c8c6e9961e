package dev.sequor.cli.bench;

/**
 * One named quick benchmark of the CLI's {@code bench} command. It measures and reports results
 * through {@link BenchReport#emit}; it never prints itself. The names on the command line select
 * benches ({@code bench --json gemm rnn_step}); no names runs them all.
 */
public interface QuickBench {
  /** The name that selects this bench and appears as its lines' {@code "bench"} field. */
  String name();

  /** Runs the measurement and emits one record per configuration measured. */
  void run(BenchReport report) throws Exception;
}
