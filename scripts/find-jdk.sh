# Sourced by ./vigil and scripts/*: sets JAVA_HOME to a JDK >= 21 (and VIGIL_JAVA_MAJOR to its
# major version) or exits with a clear message. Looks at JAVA_HOME first, then the system's usual
# JVM folders, newest first. Run as `bash scripts/find-jdk.sh --print` (as ./mvnw does, being a
# POSIX sh script) it prints "MAJOR JAVA_HOME" on one line instead.

vigil_java_major() { # prints the major version of the java binary $1
  # The JDK's release file (JDK 9+) says it without starting a JVM (~0.1-0.3 s each, more on a
  # busy machine, for every JDK found); the JVM itself answers where the file does not.
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" | head -n 1)"
    if [ -n "$v" ] && [ "$v" != 1 ]; then
      echo "$v"
      return
    fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}

vigil_find_jdk() {
  local candidates=() dir major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  local best="" best_major=0
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    major=$(vigil_java_major "$dir/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$dir"; best_major="$major"
      # JAVA_HOME wins when it is new enough.
      [ "$dir" = "${JAVA_HOME:-}" ] && break
    fi
  done
  if [ -z "$best" ]; then
    echo "vigil: no JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm, /usr/java, /opt/java)." >&2
    echo "vigil: install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
  export VIGIL_JAVA_MAJOR="$best_major"
}

vigil_find_jdk
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "${1:-}" = --print ]; then
  printf '%s %s\n' "$VIGIL_JAVA_MAJOR" "$JAVA_HOME"
fi
