#!/usr/bin/env bash
# `make demo`: run docksec on the bundled examples so a newcomer sees real reports.
set -u
cd "$(dirname "$0")/.."
run() { echo "== docksec $*"; build/docksec "$@"; echo; }
run lint examples/Dockerfile.insecure
run lint examples/Dockerfile.hardened
run check --no-source examples/compose.insecure.yml examples/deployment.insecure.yaml examples/run.sh
run check examples/compose.hardened.yml
run check --fix=diff examples/compose.insecure.yml
run check --fix=diff --fix-rule all --cmd 'docker run -d -p 8080:80 nginx:1.27'
run rules CT-DOCKER-SOCKET
# this host: the live daemon when one answers, else the host's own files
h=${DOCKER_HOST:-}
if [ -S "${h#unix://}" ] || [ -S /var/run/docker.sock ]; then
	run audit --color never
else
	echo "(no Docker daemon answers here: auditing this host's files and hardening offline)"
	run audit --root / --color never -c 1 -c 2 -c 3 -c host
fi
exit 0
