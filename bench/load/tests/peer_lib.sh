# Sourced by the pnc-bench shell tests: fail(), and port_of LOG, which waits up to 10 s for a
# bundled pnc-ref-challenge (started with --listen 127.0.0.1:0) to print "listening on HOST:PORT"
# in LOG and prints the port.
fail() { echo "FAIL: $*" >&2; exit 1; }
port_of() {
  for _ in $(seq 1 100); do
    p=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$1" | head -n 1)
    [ -n "$p" ] && { echo "$p"; return 0; }
    sleep 0.1
  done
  return 1
}
