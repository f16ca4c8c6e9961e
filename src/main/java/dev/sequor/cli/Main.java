package dev.sequor.cli;

import dev.sequor.cli.bench.BenchCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The command line: the only code in Sequor that parses arguments or prints. */
public final class Main {
  private Main() {}

  static final String HELP = """
      usage: sequor <command> [options]
        train     train a character-level model on a text and save a checkpoint (train --help)
        eval      loss of a checkpoint on a text (eval --help)
        sample    generate text from a checkpoint (sample --help)
        bench     quick benchmarks (bench --help)
      Run 'sequor <command> --help' for a command's options.
      """;

  public static void main(String[] args) throws Exception {
    // UTF-8 whatever the platform's default: texts and samples are Unicode
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int code = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command; returns the exit code (0 ok, 1 failure, 2 usage error). */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0) {
      out.print(HELP);
      return 0;
    }
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    return switch (args[0]) {
      case "train" -> TrainCommand.run(rest, out, err);
      case "eval" -> EvalCommand.run(rest, out, err);
      case "sample" -> SampleCommand.run(rest, out, err);
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
