#!/usr/bin/env bash
# The README's pictures of the workspace, from the screenshots WorkspaceBrowserTests keeps in
# .build/test-artifacts (run it first: swift test --filter WorkspaceBrowserTests): the studies page,
# the study page while Run processes its pending video (cut below its table), and the video page
# (900 px wide, 128 colours: a tenth of the size, the text still sharp).
set -euo pipefail
cd "$(dirname "$0")/../.."
shots=.build/test-artifacts
mkdir -p docs/images
ffmpeg -v error -y -i "$shots/workspace-studies.png" docs/images/workspace-studies.png
ffmpeg -v error -y -i "$shots/workspace-study.png" -vf "crop=iw:min(ih\,440):0:0" docs/images/workspace-study.png
ffmpeg -v error -y -i "$shots/workspace-video.png" \
  -vf "scale=900:-1:flags=lanczos,split[a][b];[a]palettegen=max_colors=128[p];[b][p]paletteuse=dither=none" docs/images/workspace-video.png
ls -l docs/images/workspace-*.png
