package dev.vigil.rules.anomaly;

import dev.vigil.model.Labels;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The detector's state on disk: {@code <storage.path>/anomaly/state.bin}.
 *
 * <pre>
 * "VANM" | version u8 = 1 | marks u32
 * per mark:   name UTF | expr UTF | options UTF | series u32
 *   per series: labels u32, then name UTF, value UTF each | state length u32 | state bytes
 * crc32 (u32) of everything before it
 * </pre>
 *
 * <p>The state bytes are {@link SeasonalBand#write}'s. A mark whose expression or options changed
 * since the file was written is skipped (its series start afresh); so is everything of a file whose
 * checksum does not match (a torn write cannot happen: the file is written beside and renamed, but
 * a disk can still flip bits).
 */
final class StateFile {
  static final String NAME = "state.bin";
  private static final int MAGIC = 0x56414e4d; // "VANM"
  private static final int VERSION = 1;
  private static final Logger LOG = Logger.getLogger(StateFile.class.getName());

  private StateFile() {}

  static void write(Path file, Map<String, AnomalyDetector.Tracked> marks) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    CRC32 crc = new CRC32();
    try (OutputStream raw = Files.newOutputStream(tmp);
        CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw), crc);
        DataOutputStream out = new DataOutputStream(checked)) {
      out.writeInt(MAGIC);
      out.writeByte(VERSION);
      out.writeInt(marks.size());
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      for (AnomalyDetector.Tracked t : marks.values()) {
        out.writeUTF(t.mark.name());
        out.writeUTF(t.mark.expr());
        out.writeUTF(t.mark.options().toString());
        out.writeInt(t.series.size());
        for (Map.Entry<Labels, AnomalyDetector.Series> e : t.series.entrySet()) {
          Labels l = e.getKey();
          out.writeInt(l.size());
          for (int i = 0; i < l.size(); i++) {
            out.writeUTF(l.name(i));
            out.writeUTF(l.value(i));
          }
          buf.reset();
          e.getValue().band.write(new DataOutputStream(buf));
          out.writeInt(buf.size());
          buf.writeTo(out);
        }
      }
      out.flush();
      long sum = crc.getValue();
      out.writeInt((int) sum);
      out.flush();
    }
    try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Restores the series of the marks in {@code marks} from {@code file}; returns how many. A
   * missing file gives 0; a damaged one is logged and gives 0 (nothing half-restored).
   */
  static int read(Path file, Map<String, AnomalyDetector.Tracked> marks, int maxSeries) {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      LOG.log(Level.WARNING, "anomaly: cannot read " + file + ", starting afresh", e);
      return 0;
    }
    if (all.length < 9) {
      LOG.warning("anomaly: " + file + " is truncated, starting afresh");
      return 0;
    }
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - 4);
    int stored =
        ((all[all.length - 4] & 0xff) << 24)
            | ((all[all.length - 3] & 0xff) << 16)
            | ((all[all.length - 2] & 0xff) << 8)
            | (all[all.length - 1] & 0xff);
    if ((int) crc.getValue() != stored) {
      LOG.warning("anomaly: " + file + " fails its checksum, starting afresh");
      return 0;
    }
    Map<String, Map<Labels, AnomalyDetector.Series>> restored = new java.util.HashMap<>();
    int n = 0;
    try (InputStream bin = new ByteArrayInputStream(all, 0, all.length - 4);
        DataInputStream in = new DataInputStream(new BufferedInputStream(bin))) {
      if (in.readInt() != MAGIC || in.readByte() != VERSION) {
        LOG.warning("anomaly: " + file + " is not a state file of this version, starting afresh");
        return 0;
      }
      int count = in.readInt();
      for (int m = 0; m < count; m++) {
        String name = in.readUTF();
        String expr = in.readUTF();
        String options = in.readUTF();
        int series = in.readInt();
        AnomalyDetector.Tracked t = marks.get(name);
        boolean keep =
            t != null && t.mark.expr().equals(expr) && t.mark.options().toString().equals(options);
        for (int s = 0; s < series; s++) {
          int nl = in.readInt();
          Labels.Builder lb = Labels.builder();
          for (int i = 0; i < nl; i++) {
            lb.set(in.readUTF(), in.readUTF());
          }
          Labels labels = lb.build();
          byte[] state = new byte[in.readInt()];
          in.readFully(state);
          if (!keep || n >= maxSeries) {
            continue;
          }
          SeasonalBand band = new SeasonalBand(t.mark.options());
          band.read(new DataInputStream(new ByteArrayInputStream(state)));
          restored
              .computeIfAbsent(name, k -> new java.util.LinkedHashMap<>())
              .put(
                  labels,
                  new AnomalyDetector.Series(band, AnomalyDetector.outputLabels(name, labels)));
          n++;
        }
      }
    } catch (EOFException e) {
      LOG.warning("anomaly: " + file + " ends early, starting afresh");
      return 0;
    } catch (IOException e) {
      LOG.log(Level.WARNING, "anomaly: cannot read " + file + ", starting afresh", e);
      return 0;
    }
    restored.forEach(
        (name, series) -> {
          AnomalyDetector.Tracked t = marks.get(name);
          t.series.clear();
          t.series.putAll(series);
        });
    return n;
  }
}
