package dev.sequor.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One result table of an experiment: printed as Markdown, saved as CSV under {@link #name()}. Cells
 * are strings formatted by the experiment ({@link #f}), so the Markdown and the CSV show the same
 * digits and a re-run can be compared character for character.
 */
public final class Table {
  private final String name;
  private final String title;
  private final List<String> columns;
  private final List<List<String>> rows = new ArrayList<>();

  /** A table saved as {@code name}.csv, printed under {@code title}. */
  public Table(String name, String title, String... columns) {
    this.name = name;
    this.title = title;
    this.columns = List.of(columns);
  }

  public String name() { return name; }

  public String title() { return title; }

  public Table row(Object... cells) {
    if (cells.length != columns.size())
      throw new IllegalArgumentException(name + ": row of " + cells.length + " cells, table has " + columns.size() + " columns");
    List<String> r = new ArrayList<>();
    for (Object c : cells) r.add(String.valueOf(c));
    rows.add(r);
    return this;
  }

  /** {@code x} with {@code digits} decimals, locale-independent. */
  public static String f(double x, int digits) { return String.format(Locale.ROOT, "%." + digits + "f", x); }

  /** {@code x} in scientific notation with 3 significant digits. */
  public static String e(double x) { return String.format(Locale.ROOT, "%.2e", x); }

  public String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", columns)).append(" |\n|");
    for (int i = 0; i < columns.size(); i++) sb.append("---|");
    sb.append('\n');
    for (List<String> r : rows) sb.append("| ").append(String.join(" | ", r)).append(" |\n");
    return sb.toString();
  }

  public String csv() {
    StringBuilder sb = new StringBuilder(String.join(",", columns.stream().map(Table::csvCell).toList())).append('\n');
    for (List<String> r : rows) sb.append(String.join(",", r.stream().map(Table::csvCell).toList())).append('\n');
    return sb.toString();
  }

  private static String csvCell(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
