#!/bin/sh
# certificate.html in a real browser (issue 15: "the table overflows at 1400 px and the legend
# labels overlap"): a full shim run's certificate, loaded by headless Debian chromium at 1400 and
# 1000 px wide, with a script that measures the laid-out page:
#   * nothing wider than the window (no horizontal scrolling)
#   * legend entries do not overlap one another
#   * chart labels are not stretched (no textLength) and fit their 300-unit column
#   * a requirement row lists at most 8 covering case ids (then "… (N cases)")
# Exit 77 (ctest: skipped) when chromium is not installed (apt-get install chromium).
# usage: certificate_browser_test.sh RUNNER SHIM WORKDIR
set -u
runner=$1 shim=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "SKIP: chromium is not installed"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
# The subject is the page's layout, not the shim's verdicts: a run that FAILs a case (exit 1; under
# ASan on a loaded CI machine a shim answer once missed the default 2 s) still writes a full
# certificate. Only a run that wrote no certificate is a failed precondition of this test.
"$runner" run --target shim --cmd "$shim" --timeout-ms 20000 --report-dir "$work/report" -q > "$work/run.log" 2>&1
status=$?
[ "$status" -le 1 ] && [ -s "$work/report/certificate.html" ] ||
  { cat "$work/run.log"; fail "the shim run wrote no certificate (exit $status)"; }
[ "$status" -eq 0 ] || echo "note: the shim run exited $status (a case FAILed); its certificate is still laid out"

python3 - "$work/report/certificate.html" "$work/probe.html" <<'PY' || exit 1
import sys
page = open(sys.argv[1], encoding="utf-8").read()
probe = r"""<script>
window.addEventListener('load', () => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > vw + 1)
    problems.push('page ' + document.documentElement.scrollWidth + ' px wide in a ' + vw + ' px window');
  for (const el of document.querySelectorAll('table, svg, ul.legend')) {
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1) problems.push(el.tagName + '.' + el.className + ' ends at ' + Math.round(r.right) + ' px > ' + vw);
  }
  const items = [...document.querySelectorAll('ul.legend li')].map(li => li.getBoundingClientRect());
  if (items.length === 0) problems.push('no legend');
  for (let i = 0; i < items.length; ++i)
    for (let j = i + 1; j < items.length; ++j) {
      const a = items[i], b = items[j];
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
        problems.push('legend entries ' + i + ' and ' + j + ' overlap');
    }
  const labels = [...document.querySelectorAll('svg text')].filter(t => t.getAttribute('x') === '0');
  if (labels.length === 0) problems.push('no chart labels');
  for (const t of labels) {
    if (t.hasAttribute('textLength')) problems.push('label "' + t.textContent + '" is stretched (textLength)');
    if (t.getComputedTextLength() > 295) problems.push('label "' + t.textContent + '" is ' + Math.round(t.getComputedTextLength()) + ' units wide');
  }
  let most = 0;
  for (const row of document.querySelectorAll('table.reqs tr')) {
    const cell = row.querySelectorAll('td')[3];
    if (!cell) continue;
    const ids = cell.textContent.split(' ').filter(w => /[#.]|^[A-Z0-9]+-/.test(w) && !w.startsWith('('));
    most = Math.max(most, ids.length);
    if (ids.length > 8) problems.push('a requirement lists ' + ids.length + ' covering cases');
  }
  const truncated = [...document.querySelectorAll('table.reqs td')].some(td => /\u2026 \(\d+ cases\)/.test(td.textContent));
  const out = document.createElement('pre');
  out.id = 'probe-result';
  out.textContent = 'PROBE ' + JSON.stringify({width: vw, labels: labels.length, legend: items.length,
                                                most_ids: most, truncated: truncated, problems: problems});
  document.body.appendChild(out);
});
</script>"""
open(sys.argv[2], "w", encoding="utf-8").write(page.replace("</body>", probe + "</body>"))
PY

# A private profile per run: a chromium left over from another run (or a stale SingletonLock in
# ~/.config/chromium) would otherwise take the page and exit with no DOM. No /dev/shm use: CI
# containers give it 64 MB. One retry: a loaded machine can starve the headless renderer.
render() {  # render WIDTH ATTEMPT
  rm -rf "$work/profile-$1-$2"
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --user-data-dir="$work/profile-$1-$2" --hide-scrollbars --window-size="$1,900" \
    --virtual-time-budget=5000 --dump-dom "file://$work/probe.html" > "$work/dom-$1.html" 2> "$work/chromium-$1.log"
  echo "chromium exit $? (attempt $2)" >> "$work/chromium-$1.log"
  grep -o 'PROBE {.*}' "$work/dom-$1.html" | head -n 1 | sed 's/^PROBE //; s/&quot;/"/g; s/&amp;/\&/g'
}
for width in 1400 1000; do
  result=$(render "$width" 1)
  [ -n "$result" ] || result=$(render "$width" 2)
  [ -n "$result" ] || { tail -n 30 "$work/chromium-$width.log"; fail "no probe result at $width px"; }
  echo "$width px: $result"
  python3 -c '
import json, sys
r = json.loads(sys.argv[1])
if r["problems"]: sys.exit("FAIL at %s px: %s" % (sys.argv[2], "; ".join(r["problems"])))
if not r["truncated"]: sys.exit("FAIL: no requirement row shows the \"… (N cases)\" truncation (a full shim run has them)")
' "$result" "$width" || exit 1
done
echo "ok: certificate.html lays out at 1400 and 1000 px"
