#!/usr/bin/env bash
# Type-checks the FFmpeg binding (Sources/Bindings/MediaBinding and its C shim) against a newer FFmpeg
# than the one it builds with here: Debian 13's FFmpeg 7.1 headers, downloaded from Debian's archive
# (each .deb checked against the SHA-256 in Debian's package index, fetched from the same mirror;
# the index's own signature is not checked). Debian 12's 5.1
# is what `swift build` uses; together they compile both sides of every version guard in
# Sources/Bindings/CFFmpeg/shim.h (FFmpeg 6.1 moved stream side data into the codec parameters, 7.0
# removed AVFrame.pkt_duration and av_stream_get_side_data). Needs a debug build first (`make test`
# or `swift build`) for FaceMirrorCore's module. Nothing is installed: all of it stays in a scratch folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -e .build/debug/Modules/FaceMirrorCore.swiftmodule ] || swift build --target MediaBinding >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
curl -sfL "$mirror/dists/trixie/main/binary-amd64/Packages.xz" -o "$work/Packages.xz"
for p in libavcodec-dev libavformat-dev libavfilter-dev libavutil-dev libswscale-dev libswresample-dev; do
  read -r file sha < <(xz -dc "$work/Packages.xz" | awk -v P="$p" '$0 == "Package: " P { on = 1 } on && /^Filename:/ { f = $2 }
                                                                  on && /^SHA256:/ { print f, $2; exit }')
  curl -sfL "$mirror/$file" -o "$work/$p.deb"
  echo "$sha  $work/$p.deb" | sha256sum -c --status || { echo "check_ffmpeg_versions: $file does not match Debian's SHA-256" >&2; exit 1; }
  dpkg-deb -x "$work/$p.deb" "$work/root"
done
version=$(awk '/define LIBAVCODEC_VERSION_MAJOR/ { M = $3 } /define LIBAVCODEC_VERSION_MINOR/ { m = $3 } END { print M "." m }' \
  "$work/root/usr/include/x86_64-linux-gnu/libavcodec/version_major.h" "$work/root/usr/include/x86_64-linux-gnu/libavcodec/version.h")
mkdir -p "$work/CFFmpeg"
cp Sources/Bindings/CFFmpeg/module.modulemap Sources/Bindings/CFFmpeg/shim.h "$work/CFFmpeg/"
swiftc -typecheck -module-name MediaBinding -module-cache-path "$work/modules" Sources/Bindings/MediaBinding/*.swift \
  -I "$work/CFFmpeg" -I .build/debug/Modules \
  -Xcc -I"$work/root/usr/include/x86_64-linux-gnu" -Xcc -I"$work/root/usr/include" \
  -Xcc -fmodule-map-file="$work/CFFmpeg/module.modulemap"
echo "check_ffmpeg_versions: MediaBinding type-checks against FFmpeg 7.1 (libavcodec $version) from Debian 13"
