package dev.sequor.cli.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code bench [--json] [--threads N] [name ...]}: the quick (about two minutes) benchmark run. */
public final class BenchCommand {
  private BenchCommand() {}

  /** Every quick bench, in the order a full run executes them. Add new benches here. */
  static List<QuickBench> all() {
    List<QuickBench> list = new ArrayList<>();
    // foundation (issue: kernels)
    list.add(new PeakFmaBench()); list.add(new BandwidthBench()); list.add(new GemmQuickBench()); list.add(new GemvQuickBench());
    list.addAll(ActivationBench.all()); // sigmoid, tanh, exp, gelu
    // recurrent (issue: RNN/GRU/LSTM)
    list.add(new RnnStepBench());
    // attention (issue: GPT)
    list.add(new GenerateBench());
    // training (issue: main job)
    return list;
  }

  public static final String HELP = """
      usage: sequor bench [--json] [--threads N] [name ...]
        Quick benchmarks (about two minutes in all). Names select a subset; none runs all.
        --json        one JSON object per line on standard output
        --threads N   largest thread count to measure (default: available processors)
      """;

  /** Returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    boolean json = false;
    int threads = Runtime.getRuntime().availableProcessors();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--json" -> json = true;
        case "--threads" -> {
          if (i + 1 >= args.length) return usage(err, "--threads needs a value");
          try {
            threads = Integer.parseInt(args[++i]);
          } catch (NumberFormatException e) {
            return usage(err, "--threads: not a number: " + args[i]);
          }
          if (threads < 1) return usage(err, "--threads must be >= 1");
        }
        case "-h", "--help" -> {
          out.print(HELP);
          return 0;
        }
        default -> {
          if (a.startsWith("-")) return usage(err, "unknown flag " + a);
          names.add(a);
        }
      }
    }
    Map<String, QuickBench> byName = new LinkedHashMap<>();
    for (QuickBench b : all()) byName.put(b.name(), b);
    List<QuickBench> selected = new ArrayList<>();
    if (names.isEmpty()) selected.addAll(byName.values());
    for (String n : names) {
      QuickBench b = byName.get(n);
      if (b == null) return usage(err, "unknown bench '" + n + "' (known: " + String.join(", ", byName.keySet()) + ")");
      selected.add(b);
    }
    BenchReport report = new BenchReport(out, json, threads);
    for (QuickBench b : selected) b.run(report);
    return 0;
  }

  private static int usage(PrintStream err, String message) {
    err.println("sequor bench: " + message + " (see sequor bench --help)");
    return 2;
  }
}
