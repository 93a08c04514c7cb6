#!/usr/bin/env bash
# hostile_files.sh: hostile SigMF recordings through `cellsurvey replay` and `cellsurvey spectrum`:
# deeply nested and huge JSON, endless devices, fuzz-found cases (fuzz/corpus/sigmf_meta/regress_*),
# absurd numbers. Each must end with exit code 2 and exactly one line on stderr naming the file,
# never a signal or a hang; a few hostile-but-valid ones must succeed (exit 0). Complements the
# foundation's list of issue-2 bad inputs (tests/foundation).
set -u
BIN=${CELLSURVEY:-build/cellsurvey}
SRC=${CS_SOURCE_DIR:-.}
T=${CS_TEST_TMP:-/tmp}/hostile_files
rm -rf "$T"; mkdir -p "$T"
fail=0; n=0

data() { # data BASE BYTES: a data file of BYTES pseudo-random bytes
  head -c "$2" /dev/urandom >"$1.sigmf-data"
}
meta() { printf '%s' "$2" >"$1.sigmf-meta"; }
good_global='"core:datatype":"ci16_le","core:sample_rate":1e6,"core:version":"1.0.0"'

# expect RC BASE: run replay and spectrum on BASE, check exit code RC and (for 2) one stderr line
expect() {
  local want=$1 base=$2 cmd
  for cmd in "replay --json" "spectrum --json"; do
    n=$((n + 1))
    timeout 120 "$BIN" $cmd "$base.sigmf-meta" >"$T/out" 2>"$T/err"
    local rc=$? lines
    lines=$(wc -l <"$T/err")
    if [ $rc -ne "$want" ]; then
      echo "FAIL: $cmd $(basename "$base"): exit $rc, want $want; stderr: $(head -c 300 "$T/err")"; fail=$((fail + 1)); continue
    fi
    if [ "$want" -eq 2 ]; then
      if [ "$lines" -ne 1 ] || ! grep -q "$(basename "$base")" "$T/err"; then
        echo "FAIL: $cmd $(basename "$base"): want one line naming the file, got $lines: $(head -c 300 "$T/err")"; fail=$((fail + 1)); continue
      fi
    fi
    echo "ok: $cmd $(basename "$base") -> $rc $(head -c 160 "$T/err")"
  done
}

b=$T/deep_arrays; data $b 4000
python3 -c "import sys; sys.stdout.write('{\"global\":{$good_global,\"x\":' + '['*100000 + ']'*100000 + '}}')" >$b.sigmf-meta
expect 2 $b
b=$T/deep_objects; data $b 4000
python3 -c "import sys; sys.stdout.write('{\"global\":{$good_global},\"annotations\":[' + '{\"a\":'*50000 + '1' + '}'*50000 + ']}')" >$b.sigmf-meta
expect 2 $b
b=$T/deep_unclosed; data $b 4000
python3 -c "import sys; sys.stdout.write('['*3000000)" >$b.sigmf-meta
expect 2 $b
b=$T/huge_meta; data $b 4000
{ printf '{"global":{%s},"pad":"' "$good_global"; head -c 70000000 /dev/zero | tr '\0' a; printf '"}'; } >$b.sigmf-meta
expect 2 $b
b=$T/endless_meta; data $b 4000; ln -sf /dev/zero $b.sigmf-meta
expect 2 $b
b=$T/device_data; meta $b "{\"global\":{$good_global}}"; ln -sf /dev/zero $b.sigmf-data
expect 2 $b
b=$T/dir_meta; data $b 4000; mkdir $b.sigmf-meta
expect 2 $b
b=$T/many_segments; data $b 400000
python3 -c "import sys; sys.stdout.write('{\"global\":{$good_global},\"captures\":[' + ','.join('{\"core:sample_start\":%d}' % i for i in range(5000)) + ']}')" >$b.sigmf-meta
expect 2 $b
b=$T/absurd_start; data $b 4000; meta $b "{\"global\":{$good_global},\"captures\":[{\"core:sample_start\":1e300}]}"
expect 2 $b
b=$T/absurd_header; data $b 4000; meta $b "{\"global\":{$good_global},\"captures\":[{\"core:sample_start\":0,\"core:header_bytes\":9e15}]}"
expect 2 $b
b=$T/huge_rate; data $b 4000; meta $b '{"global":{"core:datatype":"ci16_le","core:sample_rate":1e300}}'
expect 2 $b
b=$T/tiny_rate; data $b 4000; meta $b '{"global":{"core:datatype":"ci16_le","core:sample_rate":1e-300}}'
expect 2 $b
b=$T/nan_rate; data $b 4000; meta $b '{"global":{"core:datatype":"ci16_le","core:sample_rate":NaN}}'
expect 2 $b
b=$T/rate_string; data $b 4000; meta $b '{"global":{"core:datatype":"ci16_le","core:sample_rate":"2e6"}}'
expect 2 $b
b=$T/global_array; data $b 4000; meta $b '{"global":[1,2,3]}'
expect 2 $b
b=$T/top_array; data $b 4000; meta $b '[{"global":{}}]'
expect 2 $b
b=$T/datatype_object; data $b 4000; meta $b '{"global":{"core:datatype":{"a":1},"core:sample_rate":1e6}}'
expect 2 $b
b=$T/long_datatype; data $b 4000
python3 -c "import sys; sys.stdout.write('{\"global\":{\"core:datatype\":\"ci16_le' + 'x'*1000000 + '\",\"core:sample_rate\":1e6}}')" >$b.sigmf-meta
expect 2 $b
b=$T/binary_garbage; data $b 4000; head -c 5000 /dev/urandom >$b.sigmf-meta
expect 2 $b
b=$T/empty_meta; data $b 4000; : >$b.sigmf-meta
expect 2 $b
b=$T/geo_nested; data $b 4000; meta $b "{\"global\":{$good_global},\"captures\":[{\"core:sample_start\":0,\"core:geolocation\":{\"type\":\"Point\",\"coordinates\":[[1,2],[3,4]]}}]}"
expect 2 $b
b=$T/bad_datetime; data $b 4000; meta $b "{\"global\":{$good_global},\"captures\":[{\"core:sample_start\":0,\"core:datetime\":\"2026-13-45T99:99:99Z\"}]}"
expect 2 $b
# fuzz-found regressions: every committed regress_* meta beside a valid data file
for f in "$SRC"/fuzz/corpus/sigmf_meta/regress_*; do
  [ -e "$f" ] || continue
  b=$T/$(basename "$f" .json); data $b 4096; cp "$f" $b.sigmf-meta
  expect 2 $b
done
# hostile but valid: must be accepted
b=$T/big_description; data $b 40000
{ printf '{"global":{%s,"core:description":"' "$good_global"; head -c 10000000 /dev/zero | tr '\0' d; printf '"}}'; } >$b.sigmf-meta
expect 0 $b
b=$T/cf64_beyond_float; python3 -c "
import struct,sys; sys.stdout.buffer.write(struct.pack('<2000d', *([1e300,-1e300,0.5,0.25]*500)))" >$b.sigmf-data
meta $b '{"global":{"core:datatype":"cf64_le","core:sample_rate":1e6}}'
expect 0 $b

echo "$((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
