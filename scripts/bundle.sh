#!/usr/bin/env bash
# Claude Desktop bundles: one .mcpb per platform in dist/, built from
# mcpb/manifest.json and that platform's monarch-mcp binary, validated and
# packed with the official packer from npm (pinned), each under 15 MB.
#
#   scripts/bundle.sh                        every platform
#   TARGETS="linux/amd64" scripts/bundle.sh
#
# Needs node and npx (Node.js 22 recommended). Binaries come from
# dist/build/OS_ARCH/ (scripts/release.sh); missing ones are built.
set -euo pipefail
cd "$(dirname "$0")/.."

MCPB=@anthropic-ai/mcpb@2.1.2
MAX_BYTES=$((15 * 1024 * 1024))
TARGETS=${TARGETS:-darwin/arm64 darwin/amd64 linux/amd64 linux/arm64 windows/amd64}
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
DIST=dist

mcpb() { npx --yes "$MCPB" "$@"; }

# node -e SET_MANIFEST IN OUT OS EXT VERSION: the manifest for one
# platform, one version and that platform's binary.
# shellcheck disable=SC2016 # JavaScript, not shell
SET_MANIFEST='
const fs = require("fs");
const [src, out, os, ext, version] = process.argv.slice(1);
const m = JSON.parse(fs.readFileSync(src, "utf8"));
const platform = { darwin: "darwin", linux: "linux", windows: "win32" }[os];
if (!platform) throw new Error("unknown OS " + os);
// Bundles need a semver version: a release tag, else the manifest version
// marked as a development build of this commit.
const tag = version.replace(/^v/, "");
m.version = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(tag) ? tag : `${m.version}-dev+${tag.replace(/[^0-9A-Za-z.-]/g, "-")}`;
m.server.entry_point = "server/monarch-mcp" + ext;
m.compatibility.platforms = [platform];
fs.writeFileSync(out, JSON.stringify(m, null, 2) + "\n");
'

for target in $TARGETS; do
  os=${target%/*} arch=${target#*/} ext=""
  [ "$os" = windows ] && ext=.exe
  bin="$DIST/build/${os}_${arch}/monarch-mcp$ext"
  if [ ! -x "$bin" ] || ! grep -qaF "$VERSION" "$bin"; then
    TARGETS=$target ARCHIVES=0 VERSION=$VERSION scripts/release.sh
  fi
  name="monarch-mcp_${VERSION}_${os}_${arch}"
  stage="$DIST/mcpb/$name"
  rm -rf "$stage" && mkdir -p "$stage/server"
  cp "$bin" "$stage/server/"
  chmod 0755 "$stage/server/monarch-mcp$ext"
  # This platform only, this version, this binary.
  node -e "$SET_MANIFEST" mcpb/manifest.json "$stage/manifest.json" "$os" "$ext" "$VERSION"
  mcpb validate "$stage/manifest.json"
  rm -f "$DIST/$name.mcpb"
  mcpb pack "$stage" "$DIST/$name.mcpb" >"$DIST/mcpb/$name.pack.log"
  size=$(wc -c <"$DIST/$name.mcpb")
  if [ "$size" -ge "$MAX_BYTES" ]; then
    echo "bundle: $DIST/$name.mcpb is $size bytes, over the 15 MB limit" >&2
    exit 1
  fi
  printf 'bundle: %s.mcpb %s bytes\n' "$DIST/$name" "$size"
  # On its own platform, the unpacked bundle must start as Claude Desktop
  # starts it: command, arguments and environment from the packer's own
  # substitution of the manifest, with only the required settings and with
  # read-only on.
  if [ "$os/$arch" = "$(go env GOOS)/$(go env GOARCH)" ]; then
    check="$PWD/$DIST/mcpb/check"
    rm -rf "$check"
    mcpb unpack "$DIST/$name.mcpb" "$check" >/dev/null
    npx --yes -p "$MCPB" -c "node scripts/mcpb-start.mjs $check"
  fi
done
rm -rf "$DIST/mcpb"
scripts/checksums.sh
