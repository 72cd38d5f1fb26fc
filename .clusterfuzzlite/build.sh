#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script. Uses only the standard variables:
#   CC, CXX, CFLAGS, CXXFLAGS (sanitizer + fuzzer-no-link flags), LIB_FUZZING_ENGINE, OUT,
#   SRC (checkout parent, optional), WORK (scratch, optional).
# Writes to $OUT: every fuzz_<target>, fuzz_<target>_seed_corpus.zip, fuzz_<target>.dict,
# fuzz_<target>.options, and lib/ with the shared libraries the targets need at run time.
#
# Local run (clang-14 + libFuzzer):
#   CC=clang-14 CXX=clang++-14 CFLAGS="-fsanitize=address,fuzzer-no-link" \
#   CXXFLAGS="-fsanitize=address,fuzzer-no-link" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#   OUT=/tmp/cfl-out bash .clusterfuzzlite/build.sh

# The shebang's -eu is lost when the script is run as `bash build.sh` (as the builder and
# fuzz/cflite-build-check do): set it here. No pipefail: the ldd | grep below may match nothing.
set -eu

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ ! -f "$src/fuzz/CMakeLists.txt" && -n "${SRC:-}" ]]; then src="$SRC/challenge-conformance"; fi
work="${WORK:-$(mktemp -d)}/pnc-fuzz-build"
mkdir -p "$OUT" "$OUT/lib"

# PNC_FUZZ stays OFF: the sanitizer flags come from CFLAGS/CXXFLAGS, the engine from
# LIB_FUZZING_ENGINE. PNC_FUZZ_ONLY configures the reference and the fuzz targets only, so the
# builder needs libsodium, OpenSSL, nlohmann-json and python3 (.clusterfuzzlite/Dockerfile) and
# nothing else; -Werror is left to the CI presets.
cmake -S "$src" -B "$work" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_C_FLAGS_RELEASE="-O1 -gline-tables-only" -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only" \
  -DCMAKE_BUILD_RPATH='$ORIGIN/lib' \
  -DPNC_FUZZ_ONLY=ON -DPNC_BUILD_TESTS=OFF -DPNC_WERROR=OFF -DPNC_FUZZ=OFF \
  -DPNC_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"

targets=$(sed -nE '/^set\(PNC_FUZZ_TARGETS/,/\)/p' "$src/fuzz/CMakeLists.txt" \
          | tr -s ' ()\n' '\n' | grep -vE '^(set|PNC_FUZZ_TARGETS)?$')
cmake --build "$work" -j "$(nproc)" --target pnc_fuzz_corpus $(printf 'fuzz_%s ' $targets)

for t in $targets; do
  name="fuzz_$t"
  cp "$work/fuzz/$name" "$OUT/"
  cp "$src/fuzz/dict/$name.dict" "$OUT/"
  if [[ -f "$src/fuzz/$name.options" ]]; then
    cp "$src/fuzz/$name.options" "$OUT/"
  else
    printf '[libfuzzer]\ndict = %s.dict\ntimeout = 1\n' "$name" > "$OUT/$name.options"
  fi
  # zip may be missing from the image: python3's zipfile writes the seed corpus archive.
  python3 - "$work/fuzz/corpus/$name" "$OUT/${name}_seed_corpus.zip" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir(src)):
        z.write(os.path.join(src, f), f)
PY
  # The runner image has no libsodium/OpenSSL packages: ship the non-system libraries next to
  # the targets (found through the $ORIGIN/lib run path).
  ldd "$OUT/$name" | awk '/=> \// {print $3}' | grep -E 'libsodium|libcrypto|libssl' | while read -r lib; do
    cp -L -n "$lib" "$OUT/lib/" 2>/dev/null || true
  done
done
echo "built: $(printf 'fuzz_%s ' $targets)-> $OUT"
