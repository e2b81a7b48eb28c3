#!/usr/bin/env bash
# The peers' own test suites (../shared/peer-suites): lint against the cases of
# hadolint's and Trivy's Dockerfile tests, check against trivy-checks', kubesec's,
# kube-score's, docker/cli's and compose-go's. Every disagreement must be known
# (judged the peer's fault or a design choice, or listed as open work in
# tests/peers/*-known.tsv): a new one fails, so what is fixed stays fixed. Runs the
# release binary (the ASan build makes the 1,300 lint cases take minutes).
set -u
cd "$(dirname "$0")/../.."
bin=$(realpath "${1:-build/docksec}")
peers=../shared/peer-suites
if [ ! -f "$peers/lint/compare.py" ] || [ ! -f "$peers/check/rerun.py" ]; then
	echo "SKIP peers: ../shared/peer-suites is absent (the peers' test cases live in the workplace's shared material)"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	echo "SKIP peers: needs python3"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if python3 "$peers/lint/compare.py" "$bin" --out "$tmp/lint" > "$tmp/lint.log" 2>&1; then
	python3 tests/peers/gate.py lint "$tmp/lint/disagreements.md" tests/peers/lint-known.tsv
	grep -E '^## (hadolint|trivy):' "$tmp/lint.log" | sed 's/^## /PASS peers lint figures: /'
else
	echo "FAIL peers lint: compare.py failed: $(tail -3 "$tmp/lint.log" | tr '\n' ' ')"
fi
if PEER_RESULTS="$tmp/check" python3 "$peers/check/rerun.py" "$bin" > "$tmp/check.log" 2>&1; then
	python3 tests/peers/gate.py check "$tmp/check" "$tmp/check.log" tests/peers/check-known.tsv
else
	echo "FAIL peers check: rerun.py failed: $(tail -3 "$tmp/check.log" | tr '\n' ' ')"
fi
