package dev.vigil.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.text.SimpleDateFormat;
import java.util.TimeZone;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.XYAreaRenderer;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.SimpleTimePeriod;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.time.TimeTableXYDataset;

/**
 * Draws a report chart with JFreeChart: a time axis in UTC, a value axis labelled with the unit and
 * formatted like the tables, a legend below, one colour per series from a fixed palette (the
 * dashboard's), white background so it prints. Runs headless (the class sets {@code
 * java.awt.headless} before AWT loads when nobody has).
 *
 * <p>Thread-safe: each call builds its own chart.
 */
final class Charts {
  /** The chart's size in points (PDF) or CSS pixels (HTML); images are drawn at twice that. */
  static final int WIDTH = 640;

  static final int HEIGHT = 280;

  /** Pixels per point of the images: sharp when printed and on high-density screens. */
  static final int SCALE = 2;

  private static final Color[] PALETTE = {
    new Color(0x5470c6), new Color(0x91cc75), new Color(0xee6666), new Color(0xfac858),
    new Color(0x73c0de), new Color(0x3ba272), new Color(0xfc8452), new Color(0x9a60b4),
    new Color(0xea7ccc), new Color(0x2f4554), new Color(0x61a0a8), new Color(0xd48265)
  };

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Charts() {}

  /** The chart as an image of {@link #SCALE} × ({@link #WIDTH} × {@link #HEIGHT}) pixels. */
  static BufferedImage image(Report.ChartData c) {
    return chart(c).createBufferedImage(SCALE * WIDTH, SCALE * HEIGHT, WIDTH, HEIGHT, null);
  }

  /** The chart as PNG bytes. */
  static byte[] png(Report.ChartData c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image(c), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static JFreeChart chart(Report.ChartData c) {
    TimeSeriesCollection data = new TimeSeriesCollection(TimeZone.getTimeZone("UTC"));
    // Bars are stacked (spend per provider adds up to the total), each as wide as its step.
    TimeTableXYDataset bars = new TimeTableXYDataset(TimeZone.getTimeZone("UTC"));
    for (Report.Line l : c.lines()) {
      if (c.kind() == ReportDefinition.Kind.BAR) {
        long[] t = l.timestamps();
        long step = t.length > 1 ? t[1] - t[0] : 60_000;
        for (int i = 0; i < t.length; i++) {
          double v = l.values()[i];
          bars.add(
              new SimpleTimePeriod(t[i] - step, t[i]),
              Double.isFinite(v) ? c.unit().scale(v) : 0,
              l.name().isEmpty() ? "value" : l.name(),
              false);
        }
        continue;
      }
      TimeSeries ts = new TimeSeries(l.name().isEmpty() ? "value" : l.name());
      for (int i = 0; i < l.timestamps().length; i++) {
        double v = l.values()[i];
        // NaN leaves a gap in the line; infinities cannot be drawn.
        ts.add(
            new FixedMillisecond(l.timestamps()[i]),
            Double.isFinite(v) ? (Number) c.unit().scale(v) : null,
            false);
      }
      data.addSeries(ts);
    }
    DateAxis time = new DateAxis("Time (UTC)");
    time.setTimeZone(TimeZone.getTimeZone("UTC"));
    long span = spanMs(c);
    SimpleDateFormat f = new SimpleDateFormat(span > 2 * 86_400_000L ? "MMM d HH:mm" : "HH:mm");
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    time.setDateFormatOverride(f);
    NumberAxis value = new NumberAxis(c.unit().axisLabel());
    value.setAutoRangeIncludesZero(true);
    double[] values = valueSpan(c);
    if (values[0] == values[1]) {
      // All values equal (an idle network: all zero): JFreeChart would zoom into 1e-9 steps.
      double v = values[0];
      value.setRange(Math.min(0, v * 1.2), v > 0 ? v * 1.2 : v < 0 ? 0 : 1);
    }
    value.setNumberFormatOverride(new UnitFormat(c.unit()));
    XYItemRenderer renderer =
        switch (c.kind()) {
          case AREA -> new XYAreaRenderer();
          case BAR -> new StackedXYBarRenderer(0.1);
          default -> {
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
            for (int i = 0; i < c.lines().size(); i++) {
              r.setSeriesStroke(i, new BasicStroke(2f));
            }
            yield r;
          }
        };
    if (renderer instanceof XYBarRenderer b) {
      b.setShadowVisible(false);
      b.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
    }
    for (int i = 0; i < c.lines().size(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
    Font tick = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    time.setTickLabelFont(tick);
    time.setLabelFont(label);
    value.setTickLabelFont(tick);
    value.setLabelFont(label);
    XYPlot plot =
        new XYPlot(c.kind() == ReportDefinition.Kind.BAR ? bars : data, time, value, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setDomainGridlinesVisible(true);
    plot.setRangeGridlinesVisible(true);
    plot.setOutlineVisible(false);
    plot.setNoDataMessage("No data in this range");
    plot.setNoDataMessageFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    JFreeChart chart =
        new JFreeChart(c.caption(), new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    LegendTitle legend = new LegendTitle(plot);
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    chart.addLegend(legend);
    return chart;
  }

  /** Lowest and highest finite value drawn ({0, 0} when none). */
  private static double[] valueSpan(Report.ChartData c) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Report.Line l : c.lines()) {
      for (double v : l.values()) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, c.unit().scale(v));
          hi = Math.max(hi, c.unit().scale(v));
        }
      }
    }
    return lo > hi ? new double[] {0, 0} : new double[] {lo, hi};
  }

  private static long spanMs(Report.ChartData c) {
    for (Report.Line l : c.lines()) {
      long[] ts = l.timestamps();
      if (ts.length > 1) {
        return ts[ts.length - 1] - ts[0];
      }
    }
    return 0;
  }

  /** Axis tick labels in the chart's unit (values are already scaled for ratios). */
  private static final class UnitFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;
    private final Unit unit;
    private final DecimalFormat plain = new DecimalFormat("#,##0.###");

    UnitFormat(Unit unit) {
      this.unit = unit;
    }

    @Override
    public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
      return to.append(
          switch (unit) {
            case BYTES, BYTES_PER_SECOND, SECONDS -> unit.format(number);
            default -> plain.format(number);
          });
    }

    @Override
    public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
      return format((double) number, to, pos);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      return null;
    }
  }
}
