#!/usr/bin/env bash
# Re-vendor the front-end assets from the npm registry at the versions pinned in
# src/pactum/web/static/vendor/package.json. Run by hand when upgrading; the product never
# fetches anything at run time.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/src/pactum/web/static/vendor"
work=$(mktemp -d)
cp "$dest/package.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts)
m="$work/node_modules"
cp "$m/htmx.org/dist/htmx.min.js" "$m/vega/build/vega.min.js" \
   "$m/vega-lite/build/vega-lite.min.js" "$m/vega-embed/build/vega-embed.min.js" \
   "$m/swagger-ui-dist/swagger-ui-bundle.js" "$m/swagger-ui-dist/swagger-ui.css" "$dest/"
for p in htmx.org vega vega-lite vega-embed swagger-ui-dist; do
  cp "$m/$p/LICENSE"* "$dest/LICENSE.$p"
done
rm -rf "$work"
echo "vendored into $dest"

# test-only assets (not in the package): axe-core for the accessibility test
tdest="$here/tests/assets/vendor"
work=$(mktemp -d)
cp "$tdest/package.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts)
cp "$work/node_modules/axe-core/axe.min.js" "$tdest/"
cp "$work/node_modules/axe-core/LICENSE" "$tdest/LICENSE.axe-core"
rm -rf "$work"
echo "vendored into $tdest"
