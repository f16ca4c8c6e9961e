package dev.sequor.experiments;

import java.util.ArrayList;
import java.util.List;

/** What an experiment produced: tables (printed, saved as CSV), figures (saved as SVG) and remarks. */
public final class Result {
  /** A figure saved as {@code name}.svg. */
  public record Figure(String name, String svg) {}

  final List<Table> tables = new ArrayList<>();
  final List<Figure> figures = new ArrayList<>();
  final List<String> remarks = new ArrayList<>();

  public Result table(Table t) { tables.add(t); return this; }

  public Result figure(String name, String svg) { figures.add(new Figure(name, svg)); return this; }

  /** A sentence printed under the tables (settings, what a column means). */
  public Result remark(String s) { remarks.add(s); return this; }
}
