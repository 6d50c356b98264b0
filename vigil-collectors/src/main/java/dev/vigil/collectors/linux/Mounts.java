package dev.vigil.collectors.linux;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parsed content of {@code /proc/self/mounts} (fstab format), filtered as node_exporter's
 * filesystem collector filters it.
 *
 * {@snippet :
 * List<Mounts.Mount> mounts = Mounts.parse(ProcFs.system().read("self/mounts"),
 *     Mounts.DEFAULT_EXCLUDE_FS_TYPES, Mounts.DEFAULT_EXCLUDE_MOUNT_POINTS);
 * }
 */
public final class Mounts {

  /** Pseudo filesystem types node_exporter skips by default: they hold no user data. */
  public static final Pattern DEFAULT_EXCLUDE_FS_TYPES =
      Pattern.compile(
          "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs"
              + "|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs"
              + "|squashfs|erofs|sysfs|tracefs)$");

  /** Mount points node_exporter skips by default. */
  public static final Pattern DEFAULT_EXCLUDE_MOUNT_POINTS =
      Pattern.compile(
          "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)");

  private Mounts() {}

  /**
   * One mounted filesystem.
   *
   * @param device the mounted device or pseudo name
   * @param mountPoint where it is mounted, with the kernel's octal escapes decoded
   * @param fsType filesystem type
   * @param readOnly whether it is mounted {@code ro}
   */
  public record Mount(String device, String mountPoint, String fsType, boolean readOnly) {}

  /**
   * Parses mount lines, keeping the first entry per mount point (a later over-mount of the same
   * point is listed again by the kernel; node_exporter reports it once).
   *
   * @param excludeFsTypes skipped filesystem types, or null
   * @param excludeMountPoints skipped mount points, or null
   * @throws ParseException naming the line when it has fewer than 4 fields
   */
  public static List<Mount> parse(String text, Pattern excludeFsTypes, Pattern excludeMountPoints) {
    Map<String, Mount> byPoint = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length < 4) {
        throw new ParseException("/proc/self/mounts", lineNo, "expected 6 fields, got " + f.length);
      }
      String point = unescape(f[1]);
      String type = f[2];
      if (excludeFsTypes != null && excludeFsTypes.matcher(type).matches()) {
        continue;
      }
      if (excludeMountPoints != null && excludeMountPoints.matcher(point).find()) {
        continue;
      }
      boolean ro = false;
      for (String opt : f[3].split(",")) {
        if (opt.equals("ro")) {
          ro = true;
          break;
        }
      }
      byPoint.putIfAbsent(point, new Mount(unescape(f[0]), point, type, ro));
    }
    return new ArrayList<>(byPoint.values());
  }

  /** Decodes the kernel's {@code \ooo} escapes for space, tab, newline and backslash. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }
}
