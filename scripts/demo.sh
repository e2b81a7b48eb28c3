#!/usr/bin/env bash
# `make demo`: lint the bundled examples so a newcomer sees a real report.
set -u
cd "$(dirname "$0")/.."
echo "== docksec lint examples/Dockerfile.insecure"
build/docksec lint examples/Dockerfile.insecure
echo
echo "== docksec lint examples/Dockerfile.hardened"
build/docksec lint examples/Dockerfile.hardened
echo
echo "== docksec rules DF-CURL-PIPE-SHELL"
build/docksec rules DF-CURL-PIPE-SHELL
exit 0
