package dev.sequor.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} (or {@code --name=value}) flags of one command, with typed getters.
 * Anything wrong — an unknown flag, a missing or malformed value, a flag given twice, a stray
 * argument — is a {@link UsageException} whose message fits on one line.
 */
final class Flags {
  /** A command-line mistake: the command prints its one-line message and exits with code 2. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) { super(message, null, false, false); }
  }

  private final Map<String, String> values = new LinkedHashMap<>();
  private final boolean help;

  private Flags(boolean help) { this.help = help; }

  /** Parses {@code args}; every flag named in {@code known} takes a value. */
  static Flags parse(String[] args, Set<String> known) throws UsageException {
    boolean help = false;
    for (String a : args) if (a.equals("--help") || a.equals("-h")) help = true;
    Flags f = new Flags(help);
    if (help) return f;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) throw new UsageException("unexpected argument '" + a + "'");
      String name = a, value = null;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (!known.contains(name)) throw new UsageException("unknown flag " + name);
      if (value == null) {
        if (i + 1 >= args.length) throw new UsageException(name + " needs a value");
        value = args[++i];
      }
      if (f.values.put(name, value) != null) throw new UsageException(name + " given twice");
    }
    return f;
  }

  boolean help() { return help; }

  boolean has(String name) { return values.containsKey(name); }

  /** The flags given, in order. */
  Set<String> given() { return values.keySet(); }

  String string(String name, String def) { return values.getOrDefault(name, def); }

  String choice(String name, String def, List<String> allowed) throws UsageException {
    String v = values.getOrDefault(name, def);
    if (!allowed.contains(v)) throw new UsageException(name + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
    return v;
  }

  int integer(String name, int def, int min) throws UsageException {
    if (!has(name)) return def;
    int v;
    try {
      v = Integer.parseInt(values.get(name).trim());
    } catch (NumberFormatException e) {
      throw new UsageException(name + ": not an integer: '" + values.get(name) + "'");
    }
    if (v < min) throw new UsageException(name + " must be >= " + min + ", got " + v);
    return v;
  }

  long longValue(String name, long def) throws UsageException {
    if (!has(name)) return def;
    try {
      return Long.parseLong(values.get(name).trim());
    } catch (NumberFormatException e) {
      throw new UsageException(name + ": not an integer: '" + values.get(name) + "'");
    }
  }

  double number(String name, double def) throws UsageException {
    if (!has(name)) return def;
    double v;
    try {
      v = Double.parseDouble(values.get(name).trim());
    } catch (NumberFormatException e) {
      throw new UsageException(name + ": not a number: '" + values.get(name) + "'");
    }
    if (!Double.isFinite(v)) throw new UsageException(name + ": not a finite number: '" + values.get(name) + "'");
    return v;
  }

  boolean bool(String name, boolean def) throws UsageException {
    if (!has(name)) return def;
    return switch (values.get(name)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new UsageException(name + " must be true or false, got '" + values.get(name) + "'");
    };
  }
}
