#!/usr/bin/env bash
# Runs the JMH benchmarks: scripts/bench.sh [JMH args], e.g. scripts/bench.sh 'Ledger.*'
# or scripts/bench.sh -l to list them; scripts/bench.sh --main CLASS [args] runs a bench main
# (figures JMH cannot take, e.g. the end-to-end rate and memory). Builds first. Results print as JMH tables; the
# ledger benchmark also prints the ratios reported in the issues (see benchmarks/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
eiedge_pick_jdk
eiedge_quiet_maven
mvn -B -q -ntp -DskipTests package -pl benchmarks -am >&2
cp="benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*"
if [ "${1:-}" = "--main" ]; then
  main="$2"; shift 2
  exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$cp" "$main" "$@"
fi
exec "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main "$@"
