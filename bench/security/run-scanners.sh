#!/usr/bin/env bash
# Security scanners against a real Chorus node with sample data: sqlmap on every REST route that takes input,
# wapiti on the web pages and the API's query parameters, and a static check that every SQL statement in
# src/main is a constant run as a prepared statement. Slow (10-25 min): run by hand or with .ci/security,
# never from `mvn test`.
#
#   bench/security/run-scanners.sh            # everything, raw outputs in target/security/<time>/
#   SCAN_ONLY=sqlmap bench/security/run-scanners.sh      # or wapiti, or static
#   SCAN_FILTER="report|theme" bench/security/run-scanners.sh   # only the sqlmap targets whose name matches
#
# Needs Java 17, Maven, Python 3; installs Debian's sqlmap and wapiti with apt if they are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v sqlmap >/dev/null 2>&1 || ! command -v wapiti >/dev/null 2>&1; then
  echo "installing sqlmap and wapiti (apt)..."
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq sqlmap wapiti >/dev/null
fi
sqlmap --version 2>/dev/null | tail -1 | sed 's/^/sqlmap /'
wapiti --version 2>/dev/null | grep -i wapiti | tail -1 || true

echo "compiling..."
mvn -q -DskipTests compile
exec python3 bench/security/scan.py "$@"
