package dev.sequor.cli.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where quick benches send their results: with {@code --json} one JSON object per line on standard
 * output (field order as emitted, the public contract of {@code bench --json}); otherwise an aligned
 * human-readable line.
 */
public final class BenchReport {
  private final PrintStream out;
  private final boolean json;
  private final int threads;

  public BenchReport(PrintStream out, boolean json, int threads) {
    this.out = out;
    this.json = json;
    this.threads = threads;
  }

  /** The largest thread count benches should measure (the machine's cores unless overridden). */
  public int maxThreads() { return threads; }

  /** Starts a record; fields keep insertion order. */
  public static Record record(String bench) { return new Record(bench); }

  public void emit(Record r) {
    out.println(json ? r.toJson() : r.toText());
    out.flush();
  }

  /** An ordered set of fields of one result line. */
  public static final class Record {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Record(String bench) { fields.put("bench", bench); }

    public Record put(String key, Object value) {
      fields.put(key, value);
      return this;
    }

    String toJson() {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (var e : fields.entrySet()) {
        if (!first) sb.append(',');
        first = false;
        sb.append('"').append(e.getKey()).append("\":");
        appendValue(sb, e.getValue());
      }
      return sb.append('}').toString();
    }

    String toText() {
      StringBuilder sb = new StringBuilder();
      for (var e : fields.entrySet()) {
        if (sb.length() > 0) sb.append("  ");
        sb.append(e.getKey()).append('=');
        Object v = e.getValue();
        sb.append(v instanceof Double || v instanceof Float ? format(((Number) v).doubleValue()) : String.valueOf(v));
      }
      return sb.toString();
    }

    private static void appendValue(StringBuilder sb, Object v) {
      if (v == null) sb.append("null");
      else if (v instanceof String s) sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      else if (v instanceof Double || v instanceof Float) {
        double d = ((Number) v).doubleValue();
        sb.append(Double.isFinite(d) ? format(d) : "null");
      } else sb.append(v);
    }

    /** Four significant digits is as much as a noisy 2-core machine can honestly claim. */
    private static String format(double d) {
      if (d == 0) return "0";
      double a = Math.abs(d);
      if (a >= 1e4 || a < 1e-3) return String.format(java.util.Locale.ROOT, "%.4g", d).replace("e+", "e");
      int digits = Math.max(0, 3 - (int) Math.floor(Math.log10(a)));
      return new java.math.BigDecimal(d).setScale(digits, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
  }
}
