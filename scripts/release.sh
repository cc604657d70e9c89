#!/usr/bin/env bash
# Release builds: static, stripped monarch-mcp and login-setup for every
# platform, with the version and commit stamped in, packed into archives
# with SHA-256 checksums in dist/.
#
#   scripts/release.sh                      all platforms, archives + dist/SHA256SUMS
#   VERSION=v1.2.0 scripts/release.sh       stamp this version (default: git describe)
#   TARGETS="linux/amd64" scripts/release.sh
#   ARCHIVES=0 scripts/release.sh           binaries only, in dist/build/OS_ARCH/ (CI)
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
COMMIT=${COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
TARGETS=${TARGETS:-darwin/arm64 darwin/amd64 linux/amd64 linux/arm64 windows/amd64}
ARCHIVES=${ARCHIVES:-1}
DIST=dist
# Archive entries carry the commit's time, so that one commit gives the
# same archives whoever builds them.
EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 946684800)

ldflags="-s -w -X main.version=$VERSION -X main.commit=$COMMIT"
mkdir -p "$DIST/build"

for target in $TARGETS; do
  os=${target%/*} arch=${target#*/} ext=""
  [ "$os" = windows ] && ext=.exe
  bin="$DIST/build/${os}_${arch}"
  rm -rf "$bin" && mkdir -p "$bin"
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "$ldflags" -o "$bin/" ./cmd/monarch-mcp ./cmd/login-setup
  # Static and stamped, or fail: CGO_ENABLED=0 is what makes it static.
  for prog in monarch-mcp login-setup; do
    info=$(go version -m "$bin/$prog$ext")
    grep -q 'CGO_ENABLED=0' <<<"$info" || { echo "release: $bin/$prog$ext was not built with CGO_ENABLED=0" >&2; exit 1; }
    grep -qaF "$VERSION" "$bin/$prog$ext" || { echo "release: $bin/$prog$ext lacks the version stamp" >&2; exit 1; }
  done
  printf '%-16s monarch-mcp %8s bytes, login-setup %8s bytes\n' "$os/$arch" \
    "$(wc -c <"$bin/monarch-mcp$ext")" "$(wc -c <"$bin/login-setup$ext")"

  [ "$ARCHIVES" = 1 ] || continue
  name="monarch-mcp_${VERSION}_${os}_${arch}"
  files=("$bin/monarch-mcp$ext" "$bin/login-setup$ext" README.md .env.example)
  if [ "$os" = windows ]; then
    rm -f "$DIST/$name.zip"
    go run ./scripts/mkzip "$DIST/$name.zip" "$name" "${files[@]}"
  else
    stage="$DIST/stage/$name"
    rm -rf "$stage" && mkdir -p "$stage"
    cp "${files[@]}" "$stage/"
    tar -C "$DIST/stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" -cf - "$name" |
      gzip -n -9 >"$DIST/$name.tar.gz"
    rm -rf "$stage"
  fi
done
rm -rf "$DIST/stage"

if [ "$ARCHIVES" = 1 ]; then
  scripts/checksums.sh
  # The host's own binary, if it was built, must report what was stamped.
  host="$DIST/build/$(go env GOOS)_$(go env GOARCH)"
  if [ -x "$host/monarch-mcp" ]; then
    for prog in monarch-mcp login-setup; do
      out=$("$host/$prog" --version)
      echo "$out"
      grep -qF "$prog $VERSION (commit $COMMIT," <<<"$out" || { echo "release: $prog --version does not report $VERSION / $COMMIT" >&2; exit 1; }
    done
  fi
fi
