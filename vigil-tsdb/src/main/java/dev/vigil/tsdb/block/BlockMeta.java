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

  /** A meta.json is a few hundred bytes plus its sources; anything beyond this is not one. */
  static final int MAX_BYTES = 16 << 20;

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

  /**
   * Reads a meta.json file.
   *
   * @throws IOException naming the file and the problem when it is unreadable, not UTF-8, misses a
   *     field, holds a number out of range or a time range that ends before it starts
   */
  public static BlockMeta read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new IOException(
          file + ": not a valid block meta: " + size + " bytes, more than " + MAX_BYTES);
    }
    byte[] bytes = Files.readAllBytes(file);
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException(file + ": not a valid block meta: not UTF-8", e);
    }
    try {
      List<String> sources = new ArrayList<>();
      Matcher m = Pattern.compile("\"sources\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(s);
      if (m.find()) {
        Matcher q = Pattern.compile("\"([^\"]+)\"").matcher(m.group(1));
        while (q.find()) {
          sources.add(q.group(1));
        }
      }
      long minTime = num(s, "minTime");
      long maxTime = num(s, "maxTime");
      if (maxTime < minTime) {
        throw new IllegalArgumentException("maxTime " + maxTime + " before minTime " + minTime);
      }
      long level = num(s, "level");
      if (level < 0 || level > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("level " + level + " out of range");
      }
      return new BlockMeta(
          str(s, "ulid"),
          minTime,
          maxTime,
          num(s, "numSeries"),
          num(s, "numSamples"),
          num(s, "numChunks"),
          (int) level,
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
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " " + m.group(1) + " out of range");
    }
  }

  private static String str(String s, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(s);
    if (!m.find()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return m.group(1);
  }
}
