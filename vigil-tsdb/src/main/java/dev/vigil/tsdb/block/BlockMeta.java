package dev.vigil.tsdb.block;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A block's {@code meta.json}: id, time range {@code [minTime, maxTime)}, counts, compaction level
 * and sources, and resolution (0 raw, else the rollup interval in ms). Immutable.
 */
public record BlockMeta(
    String id,
    long minTime,
    long maxTime,
    long numSeries,
    long numSamples,
    long numChunks,
    int level,
    List<String> sources,
    long resolution) {

  public static final int VERSION = 1;

  public BlockMeta {
    sources = List.copyOf(sources);
  }

  /** Whether the block holds samples in {@code [mint, maxt]} (inclusive query bounds). */
  public boolean overlaps(long mint, long maxt) {
    return minTime <= maxt && maxTime > mint;
  }

  public String toJson() {
    StringBuilder src = new StringBuilder();
    for (String s : sources) {
      src.append(src.isEmpty() ? "" : ", ").append('"').append(s).append('"');
    }
    return "{\n"
        + "  \"version\": "
        + VERSION
        + ",\n"
        + "  \"ulid\": \""
        + id
        + "\",\n"
        + "  \"minTime\": "
        + minTime
        + ",\n"
        + "  \"maxTime\": "
        + maxTime
        + ",\n"
        + "  \"stats\": {\"numSeries\": "
        + numSeries
        + ", \"numSamples\": "
        + numSamples
        + ", \"numChunks\": "
        + numChunks
        + "},\n"
        + "  \"compaction\": {\"level\": "
        + level
        + ", \"sources\": ["
        + src
        + "]},\n"
        + "  \"resolution\": "
        + resolution
        + "\n"
        + "}\n";
  }

  public static BlockMeta read(Path file) throws IOException {
    String s = Files.readString(file, StandardCharsets.UTF_8);
    try {
      List<String> sources = new ArrayList<>();
      Matcher m = Pattern.compile("\"sources\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(s);
      if (m.find()) {
        Matcher q = Pattern.compile("\"([^\"]+)\"").matcher(m.group(1));
        while (q.find()) {
          sources.add(q.group(1));
        }
      }
      return new BlockMeta(
          str(s, "ulid"),
          num(s, "minTime"),
          num(s, "maxTime"),
          num(s, "numSeries"),
          num(s, "numSamples"),
          num(s, "numChunks"),
          (int) num(s, "level"),
          sources,
          num(s, "resolution"));
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a valid block meta: " + e.getMessage(), e);
    }
  }

  private static long num(String s, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(-?\\d+)").matcher(s);
    if (!m.find()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return Long.parseLong(m.group(1));
  }

  private static String str(String s, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(s);
    if (!m.find()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return m.group(1);
  }
}
