package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every built-in report as PDF, read back by poppler (Debian's poppler-utils, installed by
 * scripts/install-test-deps): {@code pdftotext} finds every section title and figure caption,
 * {@code pdffonts} shows every font embedded, and {@code pdftoppm} renders each page so that the
 * region above each "Figure N:" caption (where the chart is drawn) is checked pixel by pixel: not
 * blank, several colours (axes, grid, series), dark text (tick labels).
 */
class PdfReportTest {
  @TempDir Path dir;

  static boolean has(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String s = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + s).isZero();
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {"system_performance", "weekly_summary", "cost", "quality_trends"})
  void pdf_hasEverySectionAndFigure_fontsEmbedded_andChartsDrawn(String name) throws Exception {
    assumeTrue(
        has("pdftotext") && has("pdftoppm") && has("pdffonts"),
        "poppler-utils (pdftotext, pdftoppm, pdffonts) not installed: run scripts/install-test-deps");
    ReportDefinition def = ReportLibrary.of(null).get(name);
    Report r = Fixtures.runner().run(def, null, Fixtures.END);
    Path pdf = dir.resolve(name + ".pdf");
    Files.write(pdf, ReportFormat.PDF.render(r));

    String text = run("pdftotext", "-layout", pdf.toString(), "-").replaceAll("[ \\t]+", " ");
    assertThat(text).contains(def.title());
    List<String> captions = new ArrayList<>();
    for (Report.Part p : r.parts()) {
      assertThat(text).contains(p.title());
      if (p.chart() != null) {
        String caption = "Figure " + p.chart().figure() + ": " + p.chart().caption();
        assertThat(text.replace("\n", " ")).contains(caption);
        captions.add("Figure " + p.chart().figure() + ":");
      }
    }
    assertThat(captions).isNotEmpty();

    String fonts = run("pdffonts", pdf.toString());
    List<String> rows = fonts.lines().skip(2).filter(l -> !l.isBlank()).toList();
    assertThat(rows).isNotEmpty();
    // Columns: name type encoding emb sub uni object ID; "yes" in emb for every font.
    for (String row : rows) {
      String[] cols = row.trim().split("\\s+");
      assertThat(cols[cols.length - 5]).as(row).isEqualTo("yes");
    }

    // Where each caption is (page, top edge in points), from pdftotext's bounding boxes.
    String bbox = run("pdftotext", "-bbox", pdf.toString(), "-");
    Pattern page = Pattern.compile("<page width=\"([0-9.]+)\" height=\"([0-9.]+)\">");
    Pattern word =
        Pattern.compile(
            "<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"[0-9.]+\" yMax=\"[0-9.]+\">([^<]*)</word>");
    int pageNo = 0;
    String prev = "";
    List<double[]> found = new ArrayList<>();
    for (String line : bbox.lines().toList()) {
      if (page.matcher(line).find()) {
        pageNo++;
      }
      Matcher m = word.matcher(line);
      if (m.find()) {
        String w = m.group(3);
        if (prev.equals("Figure") && w.matches("\\d+:")) {
          found.add(new double[] {pageNo, Double.parseDouble(m.group(2))});
        }
        prev = w;
      }
    }
    assertThat(found).hasSameSizeAs(captions);

    run("pdftoppm", "-r", "144", "-png", pdf.toString(), dir.resolve("page").toString());
    int pages = pageNo;
    for (double[] f : found) {
      int p = (int) f[0];
      String suffix = pages >= 10 ? String.format("%02d", p) : Integer.toString(p);
      BufferedImage img = ImageIO.read(dir.resolve("page-" + suffix + ".png").toFile());
      // At 144 dpi a point is two pixels; the chart sits right above its caption, full text width.
      int bottom = (int) (2 * f[1]) - 12;
      int top = bottom - 360;
      assertThat(top).as("chart above caption on page " + p).isGreaterThan(0);
      Set<Integer> colours = new HashSet<>();
      int nonWhite = 0;
      int dark = 0;
      for (int y = top; y < bottom; y++) {
        for (int x = 120; x < img.getWidth() - 120; x++) {
          int rgb = img.getRGB(x, y) & 0xffffff;
          colours.add(rgb);
          int r0 = rgb >> 16 & 0xff;
          int g = rgb >> 8 & 0xff;
          int b = rgb & 0xff;
          if (r0 + g + b < 3 * 245) {
            nonWhite++;
          }
          if (r0 + g + b < 3 * 128) {
            dark++;
          }
        }
      }
      int area = (bottom - top) * (img.getWidth() - 240);
      assertThat(nonWhite)
          .as("non-white pixels of the chart above caption on page " + p)
          .isGreaterThan(area / 50);
      assertThat(dark).as("axis labels of the chart on page " + p).isGreaterThan(100);
      assertThat(colours.size()).as("colours of the chart on page " + p).isGreaterThan(8);
    }
  }
}
