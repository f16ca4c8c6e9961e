package dev.sequor.cli;

import dev.sequor.cli.bench.BenchCommand;
import java.io.PrintStream;

/** The command line: the only code in Sequor that parses arguments or prints. */
public final class Main {
  private Main() {}

  static final String HELP = """
      usage: sequor <command> [options]
        bench     quick benchmarks (bench --help)
      Run 'sequor <command> --help' for a command's options.
      """;

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit code (0 ok, 1 failure, 2 usage error). */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0) {
      out.print(HELP);
      return 0;
    }
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    return switch (args[0]) {
      case "bench" -> BenchCommand.run(rest, out, err);
      case "-h", "--help", "help" -> {
        out.print(HELP);
        yield 0;
      }
      default -> {
        err.println("sequor: unknown command '" + args[0] + "' (see sequor --help)");
        yield 2;
      }
    };
  }
}
