package dev.sequor.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A tiny dependency-free plotter: line charts (linear or log axes) and grouped bar charts as
 * self-contained SVG text, so the figures of {@code notes/} are plain files any browser shows and
 * any diff can read. Only what the experiments need: series, axis labels, ticks, a legend, a
 * horizontal reference line.
 */
public final class SvgPlot {
  private static final int W = 760, H = 440, LEFT = 72, RIGHT = 200, TOP = 40, BOTTOM = 56;
  private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

  /** One polyline: points with a non-finite y (or y ≤ 0 on a log axis) are skipped, splitting the line. */
  private record Series(String name, double[] x, double[] y, String color, boolean dashed) {}

  private record RefLine(double y, String label) {}

  private final String title, xLabel, yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<RefLine> refs = new ArrayList<>();
  private boolean logX, logY;
  private double[] xTicks;
  private double yMin = Double.NaN, yMax = Double.NaN;

  private SvgPlot(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** A line chart. */
  public static SvgPlot lines(String title, String xLabel, String yLabel) { return new SvgPlot(title, xLabel, yLabel); }

  public SvgPlot logX() { logX = true; return this; }

  public SvgPlot logY() { logY = true; return this; }

  /** Ticks (and labels) at exactly these x values. */
  public SvgPlot xTicks(double... ticks) { xTicks = ticks.clone(); return this; }

  /** Fixes the y range instead of fitting the data. */
  public SvgPlot yRange(double min, double max) { yMin = min; yMax = max; return this; }

  /** A solid series; {@code color} null picks the next palette color. */
  public SvgPlot series(String name, double[] x, double[] y, String color) { return add(name, x, y, color, false); }

  /** A dashed series. */
  public SvgPlot dashed(String name, double[] x, double[] y, String color) { return add(name, x, y, color, true); }

  /** A dotted horizontal line at {@code y}, e.g. chance level. */
  public SvgPlot reference(double y, String label) { refs.add(new RefLine(y, label)); return this; }

  private SvgPlot add(String name, double[] x, double[] y, String color, boolean dashed) {
    if (x.length != y.length) throw new IllegalArgumentException(name + ": " + x.length + " x values, " + y.length + " y values");
    series.add(new Series(name, x.clone(), y.clone(), color != null ? color : PALETTE[series.size() % PALETTE.length], dashed));
    return this;
  }

  /** The chart as an SVG document. */
  public String svg() {
    double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
    for (Series s : series)
      for (int i = 0; i < s.x.length; i++) {
        if (!usable(s.x[i], logX) || !usable(s.y[i], logY)) continue;
        x0 = Math.min(x0, s.x[i]);
        x1 = Math.max(x1, s.x[i]);
        y0 = Math.min(y0, s.y[i]);
        y1 = Math.max(y1, s.y[i]);
      }
    for (RefLine r : refs) {
      y0 = Math.min(y0, r.y);
      y1 = Math.max(y1, r.y);
    }
    if (!(x0 <= x1)) { x0 = logX ? 1 : 0; x1 = logX ? 10 : 1; }
    if (!(y0 <= y1)) { y0 = logY ? 1 : 0; y1 = logY ? 10 : 1; }
    if (!Double.isNaN(yMin)) { y0 = yMin; y1 = yMax; }
    if (logY) { y0 = Math.pow(10, Math.floor(Math.log10(y0))); y1 = Math.pow(10, Math.ceil(Math.log10(y1))); }
    if (y0 == y1) { y0 -= logY ? y0 / 2 : 0.5; y1 += logY ? y1 : 0.5; }
    if (x0 == x1) { x0 -= logX ? x0 / 2 : 0.5; x1 += logX ? x1 : 0.5; }
    if (!logY && Double.isNaN(yMin)) { // widen a fitted linear range to its outer ticks
      double[] t = niceTicks(y0, y1);
      y0 = Math.min(y0, t[0]);
      y1 = Math.max(y1, t[t.length - 1]);
    }
    Axis ax = new Axis(x0, x1, logX, LEFT, W - RIGHT), ay = new Axis(y0, y1, logY, H - BOTTOM, TOP);

    StringBuilder sb = header();
    // grid and ticks
    double[] yt = logY ? decades(y0, y1) : niceTicks(y0, y1);
    for (double t : yt) {
      if (t < y0 * (1 - 1e-9) - 1e-12 || t > y1 * (1 + 1e-9) + 1e-12) continue;
      double py = ay.map(t);
      sb.append(fmt("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#e0e0e0'/>%n", (double) LEFT, py, (double) (W - RIGHT), py));
      sb.append(fmt("<text x='%.1f' y='%.1f' text-anchor='end' font-size='11'>%s</text>%n", LEFT - 6.0, py + 4, label(t, logY)));
    }
    double[] xt = xTicks != null ? xTicks : logX ? decades(x0, x1) : niceTicks(x0, x1);
    for (double t : xt) {
      if (t < x0 || t > x1) continue;
      double px = ax.map(t);
      sb.append(fmt("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#e0e0e0'/>%n", px, (double) TOP, px, (double) (H - BOTTOM)));
      sb.append(fmt("<text x='%.1f' y='%.1f' text-anchor='middle' font-size='11'>%s</text>%n", px, H - BOTTOM + 16.0,
          label(t, logX && xTicks == null)));
    }
    frame(sb);
    for (RefLine r : refs) {
      double py = ay.map(r.y);
      sb.append(fmt("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#555' stroke-dasharray='2,3'/>%n", (double) LEFT, py,
          (double) (W - RIGHT), py));
      sb.append(fmt("<text x='%.1f' y='%.1f' font-size='11' fill='#555'>%s</text>%n", LEFT + 4.0, py - 4, esc(r.label)));
    }
    // series
    for (Series s : series) {
      StringBuilder path = new StringBuilder();
      boolean pen = false;
      for (int i = 0; i < s.x.length; i++) {
        if (!usable(s.x[i], logX) || !usable(s.y[i], logY) || s.y[i] < y0 || s.y[i] > y1) { pen = false; continue; }
        path.append(pen ? " L" : " M").append(fmt("%.1f %.1f", ax.map(s.x[i]), ay.map(s.y[i])));
        pen = true;
      }
      sb.append(fmt("<path d='%s' fill='none' stroke='%s' stroke-width='2'%s/>%n", path.toString().trim(), s.color,
          s.dashed ? " stroke-dasharray='6,4'" : ""));
      if (s.x.length <= 24)
        for (int i = 0; i < s.x.length; i++)
          if (usable(s.x[i], logX) && usable(s.y[i], logY) && s.y[i] >= y0 && s.y[i] <= y1)
            sb.append(fmt("<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>%n", ax.map(s.x[i]), ay.map(s.y[i]), s.color));
    }
    legend(sb, series.stream().map(Series::name).toList(), series.stream().map(Series::color).toList(),
        series.stream().map(Series::dashed).toList());
    return sb.append("</svg>\n").toString();
  }

  /**
   * A grouped bar chart: one group per category, one bar per series in each group
   * ({@code values[series][category]}), a linear y axis from 0.
   */
  public static String bars(String title, String yLabel, String[] categories, String[] seriesNames, String[] colors, double[][] values) {
    SvgPlot p = new SvgPlot(title, "", yLabel);
    double max = 0;
    for (double[] v : values) for (double x : v) if (Double.isFinite(x)) max = Math.max(max, x);
    double[] yt = niceTicks(0, max > 0 ? max : 1);
    double top = yt[yt.length - 1];
    Axis ay = new Axis(0, top, false, H - BOTTOM, TOP);
    StringBuilder sb = p.header();
    for (double t : yt) {
      double py = ay.map(t);
      sb.append(fmt("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#e0e0e0'/>%n", (double) LEFT, py, (double) (W - RIGHT), py));
      sb.append(fmt("<text x='%.1f' y='%.1f' text-anchor='end' font-size='11'>%s</text>%n", LEFT - 6.0, py + 4, label(t, false)));
    }
    p.frame(sb);
    double groupW = (double) (W - RIGHT - LEFT) / categories.length, barW = groupW * 0.8 / seriesNames.length;
    List<String> cols = new ArrayList<>();
    for (int s = 0; s < seriesNames.length; s++) cols.add(colors != null && colors[s] != null ? colors[s] : PALETTE[s % PALETTE.length]);
    for (int c = 0; c < categories.length; c++) {
      double gx = LEFT + c * groupW + groupW * 0.1;
      for (int s = 0; s < seriesNames.length; s++) {
        double v = values[s][c];
        if (!Double.isFinite(v)) continue;
        double py = ay.map(v);
        sb.append(fmt("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>%n", gx + s * barW, py, barW - 2, H - BOTTOM - py,
            cols.get(s)));
        sb.append(fmt("<text x='%.1f' y='%.1f' text-anchor='middle' font-size='10'>%s</text>%n", gx + s * barW + barW / 2 - 1, py - 3,
            label(v, false)));
      }
      sb.append(fmt("<text x='%.1f' y='%.1f' text-anchor='middle' font-size='12'>%s</text>%n", LEFT + (c + 0.5) * groupW,
          H - BOTTOM + 18.0, esc(categories[c])));
    }
    p.legend(sb, List.of(seriesNames), cols, seriesNames.length == 0 ? List.of() : java.util.Collections.nCopies(seriesNames.length, false));
    return sb.append("</svg>\n").toString();
  }

  private StringBuilder header() {
    StringBuilder sb = new StringBuilder();
    sb.append(fmt("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' font-family='sans-serif'>%n", W, H, W, H));
    sb.append(fmt("<rect width='%d' height='%d' fill='white'/>%n", W, H));
    sb.append(fmt("<text x='%d' y='24' text-anchor='middle' font-size='15'>%s</text>%n", (LEFT + W - RIGHT) / 2, esc(title)));
    return sb;
  }

  private void frame(StringBuilder sb) {
    sb.append(fmt("<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#333'/>%n", LEFT, TOP, W - RIGHT - LEFT, H - BOTTOM - TOP));
    sb.append(fmt("<text x='%d' y='%d' text-anchor='middle' font-size='13'>%s</text>%n", (LEFT + W - RIGHT) / 2, H - 14, esc(xLabel)));
    sb.append(fmt("<text x='16' y='%d' text-anchor='middle' font-size='13' transform='rotate(-90 16 %d)'>%s</text>%n",
        (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2, esc(yLabel)));
  }

  private void legend(StringBuilder sb, List<String> names, List<String> colors, List<Boolean> dashed) {
    int x = W - RIGHT + 12, y = TOP + 8;
    for (int i = 0; i < names.size(); i++, y += 20) {
      sb.append(fmt("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='2'%s/>%n", x, y, x + 22, y, colors.get(i),
          dashed.get(i) ? " stroke-dasharray='6,4'" : ""));
      sb.append(fmt("<text x='%d' y='%d' font-size='12'>%s</text>%n", x + 28, y + 4, esc(names.get(i))));
    }
  }

  private record Axis(double lo, double hi, boolean log, double p0, double p1) {
    double map(double v) {
      double a = log ? Math.log10(lo) : lo, b = log ? Math.log10(hi) : hi, t = log ? Math.log10(v) : v;
      return p0 + (t - a) / (b - a) * (p1 - p0);
    }
  }

  private static boolean usable(double v, boolean log) { return Double.isFinite(v) && (!log || v > 0); }

  // powers of ten in [lo, hi], every k-th one so that at most about ten are labelled
  private static double[] decades(double lo, double hi) {
    int a = (int) Math.ceil(Math.log10(lo) - 1e-9), b = (int) Math.floor(Math.log10(hi) + 1e-9);
    int step = Math.max(1, (b - a + 9) / 10);
    List<Double> t = new ArrayList<>();
    for (int k = a; k <= b; k++) if (Math.floorMod(k, step) == 0) t.add(Math.pow(10, k));
    return t.stream().mapToDouble(Double::doubleValue).toArray();
  }

  // about five ticks at 1, 2 or 5 times a power of ten, covering [lo, hi]
  private static double[] niceTicks(double lo, double hi) {
    double raw = (hi - lo) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw))), step = mag;
    for (double m : new double[] {1, 2, 5, 10}) if (m * mag >= raw) { step = m * mag; break; }
    List<Double> t = new ArrayList<>();
    for (double v = Math.floor(lo / step) * step; v <= hi + step * 0.999; v += step) t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
    return t.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String label(double v, boolean powerOfTen) {
    if (powerOfTen) {
      int k = (int) Math.round(Math.log10(v));
      return k >= 0 && k <= 4 ? String.valueOf((long) Math.pow(10, k)) : "1e" + k;
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e7) return String.valueOf((long) v);
    if (Math.abs(v) >= 100) return fmt("%.0f", v);
    String s = fmt("%.3g", v);
    return s.contains(".") && !s.contains("e") ? s.replaceAll("\\.?0+$", "") : s;
  }

  private static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }

  private static String fmt(String f, Object... args) { return String.format(Locale.ROOT, f, args); }
}
