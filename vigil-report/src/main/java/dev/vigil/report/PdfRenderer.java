package dev.vigil.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * A report as PDF (A4, PDFBox): the title and range, then each section's heading, text, tiles,
 * table and chart (a PNG of {@link Charts}, full text width, its caption "Figure N: ..." right
 * below). Text is set in Liberation Sans, which PDFBox ships, embedded as a subset so the file
 * reads the same on any machine; characters the font lacks print as "?".
 *
 * <p>Layout: a cursor moves down the page; a block that does not fit starts a new page. A chart and
 * its caption are kept together.
 */
final class PdfRenderer {
  private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
  private static final float MARGIN = 50;
  private static final PDRectangle SIZE = PDRectangle.A4;
  private static final float WIDTH = SIZE.getWidth() - 2 * MARGIN;

  private final PDDocument doc;
  private final PDType0Font font;
  private PDPageContentStream out;
  private float y;

  private PdfRenderer(PDDocument doc) throws IOException {
    this.doc = doc;
    try (InputStream in = PdfRenderer.class.getResourceAsStream(FONT)) {
      if (in == null) {
        throw new IllegalStateException("PDFBox's Liberation Sans is missing from the class path");
      }
      this.font = PDType0Font.load(doc, in, true);
    }
  }

  static byte[] render(Report r) {
    try (PDDocument doc = new PDDocument()) {
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setTitle(r.title());
      info.setCreator("Vigil");
      PdfRenderer p = new PdfRenderer(doc);
      p.newPage();
      p.write(r);
      p.out.close();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      doc.save(bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(Report r) throws IOException {
    paragraph(r.title(), 20, 8);
    paragraph(MarkdownRenderer.range(r), 9, 12);
    for (Report.Part p : r.parts()) {
      // A heading stays with the start of its content: a chart whole, else a few lines.
      need(p.chart() != null && p.text() == null ? chartHeight() + 60 : 80);
      y -= 6;
      paragraph(p.title(), 14, 6);
      if (p.text() != null) {
        for (String para : p.text().strip().split("\n\\s*\n")) {
          paragraph(para.replace('\n', ' '), 10, 6);
        }
      }
      if (!p.tiles().isEmpty()) {
        List<List<String>> rows = new ArrayList<>();
        for (Report.Tile t : p.tiles()) {
          rows.add(List.of(t.title(), t.formatted()));
        }
        table(List.of("Figure", "Value"), rows);
      }
      if (p.table() != null) {
        if (p.table().rows().isEmpty()) {
          paragraph("No data in this range.", 10, 6);
        } else {
          table(p.table().header(), p.table().rows());
        }
      }
      if (p.chart() != null) {
        chart(p.chart());
      }
    }
  }

  private void chart(Report.ChartData c) throws IOException {
    float h = chartHeight();
    String caption = "Figure " + c.figure() + ": " + c.caption();
    if (c.dropped() > 0) {
      caption += " (" + c.dropped() + " more series not shown)";
    }
    need(h + 30);
    PDImageXObject img = LosslessFactory.createFromImage(doc, Charts.image(c));
    y -= h;
    out.drawImage(img, MARGIN, y, WIDTH, h);
    y -= 4;
    paragraph(caption, 10, 10);
  }

  private static float chartHeight() {
    return WIDTH * Charts.HEIGHT / Charts.WIDTH;
  }

  private void table(List<String> header, List<List<String>> rows) throws IOException {
    float size = 9;
    float rowH = size + 6;
    float colW = WIDTH / header.size();
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (int i = 0; i < all.size(); i++) {
      need(rowH);
      List<String> row = all.get(i);
      y -= rowH;
      out.setLineWidth(0.5f);
      out.setStrokingColor(0.8f, 0.8f, 0.8f);
      out.moveTo(MARGIN, y);
      out.lineTo(MARGIN + WIDTH, y);
      out.stroke();
      for (int c = 0; c < row.size(); c++) {
        String cell = fit(row.get(c).isEmpty() ? "–" : row.get(c), size, colW - 6);
        text(cell, MARGIN + c * colW + 3, y + 4, size, i == 0 ? 0.35f : 0f);
      }
    }
    y -= 8;
  }

  /** Wrapped text of {@code size} points, then {@code after} points of space. */
  private void paragraph(String s, float size, float after) throws IOException {
    List<String> lines = wrap(safe(s), size, WIDTH);
    for (String line : lines) {
      need(size * 1.35f);
      y -= size * 1.35f;
      text(line, MARGIN, y, size, 0f);
    }
    y -= after;
  }

  private void text(String s, float x, float at, float size, float grey) throws IOException {
    out.beginText();
    out.setNonStrokingColor(grey, grey, grey);
    out.setFont(font, size);
    out.newLineAtOffset(x, at);
    out.showText(safe(s));
    out.endText();
  }

  /** Starts a new page unless {@code h} points still fit; true when it did. */
  private boolean need(float h) throws IOException {
    if (out != null && y - h >= MARGIN) {
      return false;
    }
    newPage();
    return true;
  }

  private void newPage() throws IOException {
    if (out != null) {
      out.close();
    }
    PDPage page = new PDPage(SIZE);
    doc.addPage(page);
    out = new PDPageContentStream(doc, page);
    y = SIZE.getHeight() - MARGIN;
  }

  private List<String> wrap(String s, float size, float width) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : s.split(" ")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (!line.isEmpty() && width(candidate, size) > width) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    lines.add(line.toString());
    return lines;
  }

  private String fit(String s, float size, float width) throws IOException {
    String t = safe(s);
    if (width(t, size) <= width) {
      return t;
    }
    while (t.length() > 1 && width(t + "…", size) > width) {
      t = t.substring(0, t.length() - 1);
    }
    return t + "…";
  }

  private float width(String s, float size) throws IOException {
    return font.getStringWidth(s) / 1000 * size;
  }

  /** The text with characters the font cannot show replaced by "?". */
  private String safe(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            cp -> {
              String ch = new String(Character.toChars(cp));
              try {
                font.encode(ch);
                sb.append(ch);
              } catch (IOException | IllegalArgumentException e) {
                sb.append(cp == '\t' ? " " : "?");
              }
            });
    return sb.toString();
  }
}
