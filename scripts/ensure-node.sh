#!/bin/sh
# Prints the directory holding a `node` binary of a supported line (>= 24), for the Makefile to
# put first on PATH. Order: $CODEMODE_NODE (a node binary you choose), then `node` on PATH when it
# is new enough, then a copy under .node/ brought from the npm registry's node-<os>-<arch>
# package (binary and headers, no install script) the first time it is needed.
# Usage: scripts/ensure-node.sh [major]   (default 24; CI also runs 26)
set -eu

want_major="${1:-24}"
min_major=24
# The exact release fetched for each line; bump deliberately, CI runs what is written here.
case "$want_major" in
  24) pinned=24.22.3 ;;
  26) pinned=26.12.1 ;;
  *) echo "ensure-node: no pinned release for Node $want_major (supported: 24, 26)" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -n "${CODEMODE_NODE:-}" ]; then
  if [ "$(major_of "$CODEMODE_NODE")" -lt "$min_major" ]; then
    echo "ensure-node: CODEMODE_NODE=$CODEMODE_NODE is not Node >= $min_major" >&2
    exit 2
  fi
  dirname "$CODEMODE_NODE"
  exit 0
fi

# Only the default line may come from PATH: asking for 26 means exactly 26.
if [ "$want_major" = 24 ] && command -v node >/dev/null 2>&1; then
  if [ "$(major_of node)" -ge "$min_major" ]; then
    dirname "$(command -v node)"
    exit 0
  fi
fi

dest="$root/.node/$pinned"
if [ ! -x "$dest/bin/node" ]; then
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) echo "ensure-node: cannot fetch Node for $(uname -s); install Node >= $min_major and set CODEMODE_NODE" >&2; exit 2 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "ensure-node: cannot fetch Node for $(uname -m); install Node >= $min_major and set CODEMODE_NODE" >&2; exit 2 ;;
  esac
  pkg="node-$os-$arch@$pinned"
  echo "ensure-node: system node is older than $min_major; fetching $pkg from the npm registry into .node/ (once)" >&2
  tmp=$(mktemp -d "$root/.node-fetch.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent --ignore-scripts "$pkg" >/dev/null)
  mkdir -p "$tmp/unpacked"
  tar xzf "$tmp"/node-*.tgz -C "$tmp/unpacked" --strip-components=1
  chmod +x "$tmp/unpacked/bin/node"
  mkdir -p "$root/.node"
  rm -rf "$dest"
  mv "$tmp/unpacked" "$dest"
fi
echo "$dest/bin"
