#!/usr/bin/env bash
# Rebuild ../plotly-brief.min.js from plotly.js's own sources at the pinned version, with only
# the trace types entry.js registers. Needs node and npm; run from anywhere:
#   bash generator/assets/vendor/plotly/build.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/entry.js" "$work/"
cd "$work"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
version="$(node -p 'require("plotly.js/package.json").version')"
# The same esbuild settings as plotly.js's own build (esbuild-config.js), minus the WebGL plugins
# that none of these traces use; the map library's stylesheet is left out for the same reason.
node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --target=es2016 \
  --define:global=window --define:define.amd=false --loader:.css=empty --legal-comments=none \
  --log-level=warning --outfile=bundle.js
{
  printf '/**\n* plotly.js v%s, partial bundle for intelbrief: %s\n* Copyright 2012-2026, Plotly, Inc.\n* All rights reserved.\n* Licensed under the MIT license\n*/\n' \
    "$version" "$(grep -o 'lib/[a-z0-9]*' entry.js | sed 's|lib/||' | paste -sd, -)"
  cat bundle.js
} > "$here/../plotly-brief.min.js"
cp node_modules/plotly.js/LICENSE "$here/../plotly.LICENSE"
echo "wrote $here/../plotly-brief.min.js (plotly.js $version)"
