#!/usr/bin/env bash
# fetch-models.sh - download the official TFLite MobileNet V1 models.
#
# Usage: tools/models/fetch-models.sh [--record] [--float|--quant] [ALPHA_RES...]
#   ALPHA_RES   e.g. 1.0_224 0.25_128 (default: the whole published grid,
#               alpha 1.0/0.75/0.5/0.25 x resolution 224/192/160/128)
#   --float     only float32 models      --quant   only uint8 models
#   --record    accept archives that have no pinned SHA-256 and pin the hash
#               seen now in $MNET_MODEL_DIR/SHA256SUMS.local (trust on first
#               use); without it such archives are refused
# Files go to $MNET_MODEL_DIR (default: ./models). Every archive is checked
# against tools/models/models.sha256 (hashes the TensorFlow project publishes) or
# the local pin file before anything is extracted.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
base=https://storage.googleapis.com/download.tensorflow.org/models/mobilenet_v1_2018_08_02
dest=${MNET_MODEL_DIR:-models}
record=0
kinds=("" "_quant")
configs=()
for a in "$@"; do
	case "$a" in
	--record) record=1 ;;
	--float) kinds=("") ;;
	--quant) kinds=("_quant") ;;
	-h|--help) sed -n '2,15p' "$0"; exit 0 ;;
	-*) echo "fetch-models: unknown option $a" >&2; exit 2 ;;
	*) configs+=("$a") ;;
	esac
done
if [ ${#configs[@]} -eq 0 ]; then
	for al in 1.0 0.75 0.5 0.25; do
		for r in 224 192 160 128; do configs+=("${al}_${r}"); done
	done
fi
command -v curl >/dev/null || { echo "fetch-models: needs curl" >&2; exit 1; }
mkdir -p "$dest"
pins="$dest/SHA256SUMS.local"
touch "$pins"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expected_hash() {
	awk -v f="$1" '$2 == f { print $1 }' "$here/models.sha256" "$pins" | head -n1
}

fail=0
for c in "${configs[@]}"; do
	for k in "${kinds[@]}"; do
		name="mobilenet_v1_${c}${k}"
		tgz="$name.tgz"
		if [ -f "$dest/$name.tflite" ]; then
			echo "have $dest/$name.tflite"
			continue
		fi
		echo "fetching $base/$tgz"
		if ! curl -fsSL --retry 3 -o "$tmp/$tgz" "$base/$tgz"; then
			echo "fetch-models: download of $tgz failed" >&2
			fail=1
			continue
		fi
		got=$(sha256sum "$tmp/$tgz" | cut -d' ' -f1)
		want=$(expected_hash "$tgz")
		if [ -z "$want" ]; then
			if [ $record -eq 0 ]; then
				echo "fetch-models: $tgz has no pinned SHA-256 (got $got); rerun with --record to trust it" >&2
				fail=1
				continue
			fi
			echo "$got  $tgz" >>"$pins"
			echo "pinned $tgz $got"
		elif [ "$got" != "$want" ]; then
			echo "fetch-models: $tgz: SHA-256 mismatch (got $got, want $want)" >&2
			fail=1
			continue
		fi
		tar -xzf "$tmp/$tgz" -C "$tmp" "./$name.tflite" 2>/dev/null ||
			tar -xzf "$tmp/$tgz" -C "$tmp" "$name.tflite"
		mv "$tmp/$name.tflite" "$dest/$name.tflite"
		echo "ok $dest/$name.tflite"
	done
done
exit $fail
