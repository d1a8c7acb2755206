# Shared set-up for the project's scripts: installs what is missing, quietly.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$PATH:/opt/swift/usr/bin"

# Debian packages the build needs: CBLAS/LAPACK headers and libraries, and
# OpenBLAS as the system BLAS (about 50x faster on gemm than the reference BLAS).
ensure_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing: ${missing[*]}" >&2
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    fi
}

ensure_build_deps() {
    ensure_packages libblas-dev liblapack-dev libopenblas0-pthread
    if ! command -v swift >/dev/null; then
        echo "error: swift not found. Install Swift 6 (https://www.swift.org/install/linux/) and put it on PATH." >&2
        exit 1
    fi
}

# What the tests need beyond the build: headless Chromium, which renders the
# HTML reports in the browser tests (run as root it needs --no-sandbox, which
# the tests pass), and a font with the reports' glyphs (arrows, dashes).
ensure_test_deps() {
    ensure_packages chromium fonts-dejavu-core
}
