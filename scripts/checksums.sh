#!/usr/bin/env bash
# Writes dist/SHA256SUMS for every archive and bundle in dist/ (check with
# `sha256sum -c SHA256SUMS` in dist/).
set -euo pipefail
cd "$(dirname "$0")/../dist"
shopt -s nullglob
files=(*.tar.gz *.zip *.mcpb)
if [ ${#files[@]} -eq 0 ]; then
  echo "checksums: nothing to sum in dist/" >&2
  exit 1
fi
sha256sum "${files[@]}" >SHA256SUMS
sha256sum -c --quiet SHA256SUMS
echo "dist/SHA256SUMS: ${#files[@]} files"
