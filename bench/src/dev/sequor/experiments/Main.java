package dev.sequor.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Runs one experiment of {@code notes/}: {@code Main <name> [--quick] [--out DIR] [--data PATH]}.
 * Prints its Markdown tables to stdout, progress to stderr, and writes {@code <table>.csv} and
 * {@code <figure>.svg} into DIR (default {@code notes/figures}, or {@code target/experiments} with
 * {@code --quick}, so that a smoke run does not overwrite the committed figures).
 *
 * <pre>./mvnw -q -Pexperiment test-compile exec:exec -Dexperiment="delay --quick"</pre>
 */
public final class Main {
  static final List<Experiment> ALL = List.of(new GradientFlow(), new Delay(), new Recall(), new Throughput(), new CharLm());

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) usage(0);
    Experiment exp = ALL.stream().filter(e -> e.name().equals(args[0])).findFirst().orElse(null);
    if (exp == null) {
      System.err.println("unknown experiment '" + args[0] + "'");
      usage(2);
    }
    boolean quick = false;
    Path out = null, data = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "--data" -> data = Path.of(value(args, ++i, "--data"));
        default -> {
          System.err.println("unknown option '" + args[i] + "'");
          usage(2);
        }
      }
    }
    if (out == null) out = Path.of(quick ? "target/experiments" : "notes/figures");
    String command = "./mvnw -q -Pexperiment test-compile exec:exec -Dexperiment=\"" + String.join(" ", args) + "\"";
    long t0 = System.nanoTime();
    Result r;
    try {
      r = exp.run(new Experiment.Context(quick, data, s -> System.err.println("[" + exp.name() + "] " + s)));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    double secs = (System.nanoTime() - t0) / 1e9;

    Files.createDirectories(out);
    StringBuilder md = new StringBuilder();
    md.append("## ").append(exp.name()).append(quick ? " (quick)" : "").append("\n\n").append(exp.summary()).append("\n\n");
    md.append("Command: `").append(command).append("`\n\n");
    for (Table t : r.tables) {
      md.append("### ").append(t.title()).append("\n\n").append(t.markdown()).append('\n');
      write(out.resolve(t.name() + ".csv"), t.csv());
    }
    for (String s : r.remarks) md.append("- ").append(s).append('\n');
    for (Result.Figure f : r.figures) {
      // the command goes into the figure itself, so a figure always says how to reproduce it
      String svg = f.svg().replaceFirst("\n", "\n<desc>" + exp.summary().replace("&", "&amp;").replace("<", "&lt;")
          + " Produced by: " + command.replace("&", "&amp;").replace("<", "&lt;") + "</desc>\n");
      write(out.resolve(f.name() + ".svg"), svg);
    }
    md.append(String.format(Locale.ROOT, "%nFiles: %s (%d tables, %d figures). Wall time %.0f s.%n", out,
        r.tables.size(), r.figures.size(), secs));
    System.out.print(md);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      System.err.println(flag + " needs a value");
      usage(2);
    }
    return args[i];
  }

  private static void write(Path p, String s) throws IOException { Files.writeString(p, s, StandardCharsets.UTF_8); }

  private static void usage(int code) {
    StringBuilder sb = new StringBuilder("usage: Main <experiment> [--quick] [--out DIR] [--data PATH]\n\nexperiments:\n");
    for (Experiment e : ALL) sb.append(String.format(Locale.ROOT, "  %-14s %s%n", e.name(), e.summary()));
    sb.append("\n--quick   a ~1 minute smoke run (writes to target/experiments unless --out is given)\n");
    sb.append("--out     directory for the CSV and SVG files (default notes/figures)\n");
    sb.append("--data    text corpus for char-lm (e.g. ../shared/data/tinyshakespeare.txt)\n");
    (code == 0 ? System.out : System.err).print(sb);
    System.exit(code);
  }
}
