package dev.vigil.report;

import java.util.Locale;

/** The formats a report renders to, with their media type and file extension. */
public enum ReportFormat {
  MD("text/markdown; charset=utf-8", "md"),
  HTML("text/html; charset=utf-8", "html"),
  PDF("application/pdf", "pdf"),
  JSON("application/json", "json");

  private final String contentType;
  private final String extension;

  ReportFormat(String contentType, String extension) {
    this.contentType = contentType;
    this.extension = extension;
  }

  public String contentType() {
    return contentType;
  }

  public String extension() {
    return extension;
  }

  /** {@code md} (or {@code markdown}), {@code html}, {@code pdf}, {@code json}. */
  public static ReportFormat parse(String s) {
    String f = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    return switch (f) {
      case "md", "markdown" -> MD;
      case "html" -> HTML;
      case "pdf" -> PDF;
      case "json" -> JSON;
      default ->
          throw new ReportException(
              "unknown report format \"" + s + "\": one of md, html, pdf, json");
    };
  }

  /** The report in this format. */
  public byte[] render(Report r) {
    return switch (this) {
      case MD -> MarkdownRenderer.render(r).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case HTML -> HtmlRenderer.render(r).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case PDF -> PdfRenderer.render(r);
      case JSON -> JsonRenderer.bytes(r);
    };
  }
}
