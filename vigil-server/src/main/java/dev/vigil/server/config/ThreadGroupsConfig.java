package dev.vigil.server.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code thread_groups} section: per-agent (or per-pool) CPU time and allocation, by thread
 * name ({@code vigil_thread_group_*{group}}, docs/collectors.md).
 *
 * <pre>{@code
 * thread_groups:
 *   max_groups: 100
 *   groups:
 *     - name: planner
 *       thread_name: planner-.*
 * }</pre>
 *
 * @param maxGroups the most groups reported (configured and added in code); later ones count as
 *     {@code other}. Changes only at restart
 * @param groups the groups by thread name, in order: a thread belongs to the first whose pattern
 *     matches its whole name. A reload applies them
 */
public record ThreadGroupsConfig(int maxGroups, List<Group> groups) {

  /** The most groups by default. */
  public static final int DEFAULT_MAX_GROUPS = 100;

  /** No groups, at most {@value #DEFAULT_MAX_GROUPS}. */
  public static final ThreadGroupsConfig DEFAULTS =
      new ThreadGroupsConfig(DEFAULT_MAX_GROUPS, List.of());

  /**
   * One group.
   *
   * @param name the group (agent) name, the {@code group} label
   * @param threadName a Java regular expression matched against a thread's whole name
   */
  public record Group(String name, String threadName) {}

  public ThreadGroupsConfig {
    groups = List.copyOf(groups);
  }

  /** The patterns by group name, compiled, in order. */
  public Map<String, Pattern> patterns() {
    Map<String, Pattern> out = new LinkedHashMap<>();
    for (Group g : groups) {
      out.put(g.name(), Pattern.compile(g.threadName()));
    }
    return out;
  }

  /**
   * Reads the section.
   *
   * @throws ConfigException naming the key and line of a bad value
   */
  static ThreadGroupsConfig bind(Section s) {
    int max = (int) s.integer("max_groups", DEFAULT_MAX_GROUPS, 1, 10_000);
    List<Group> groups = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Section g : s.sections("groups")) {
      String name = g.string("name", "");
      if (name.isBlank()) {
        throw g.error("name", "is required: the group (agent) name, a label value");
      }
      if (name.length() > 128) {
        throw g.error("name", "is longer than 128 characters");
      }
      if (name.equals("other")) {
        throw g.error("name", "\"other\" is reserved for groups past max_groups");
      }
      if (!names.add(name)) {
        throw g.error("name", "duplicate group \"" + name + "\"");
      }
      String regex = g.string("thread_name", "");
      if (regex.isEmpty()) {
        throw g.error(
            "thread_name", "is required: a regular expression matching whole thread names");
      }
      try {
        Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw g.error(
            "thread_name",
            "not a valid regular expression: "
                + e.getDescription()
                + " near index "
                + e.getIndex()
                + " of \""
                + regex
                + "\"");
      }
      g.finish();
      groups.add(new Group(name, regex));
    }
    if (groups.size() > max) {
      throw s.error(
          "groups",
          groups.size() + " groups, more than max_groups (" + max + "); raise max_groups");
    }
    s.finish();
    return new ThreadGroupsConfig(max, groups);
  }
}
