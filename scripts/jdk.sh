# Sourced by the project's scripts: picks a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is new enough, Temurin 25 (the build machines' JDK), any other
# JDK >= 21 under /usr/lib/jvm. Fails with a clear message otherwise.

eiedge_java_major() { # $1 = java binary; prints the feature version (17, 21, 25...)
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1
}

eiedge_pick_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64)
  for c in /usr/lib/jvm/*; do candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] || continue
    major=$(eiedge_java_major "$c/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "eiedge: no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "eiedge: install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME." >&2
  return 1
}

# Maven's own Guava touches sun.misc.Unsafe; JDK 24+ warns loudly about it. Quiet that one.
eiedge_quiet_maven() {
  local major; major=$(eiedge_java_major "$JAVA_HOME/bin/java")
  if [ "${major:-0}" -ge 24 ] 2>/dev/null; then
    case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
  fi
}
