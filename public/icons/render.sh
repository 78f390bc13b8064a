#!/bin/sh
# Renders the PNG icons from the SVGs with headless Chromium (run once after changing an SVG;
# the PNGs are committed). Usage: sh public/icons/render.sh
set -e
cd "$(dirname "$0")"
CHROMIUM=${LILONG_CHROMIUM:-chromium}
render() { # svg size out
  tmp=$(mktemp -d)
  cat > "$tmp/page.html" <<HTML
<!doctype html><html><body style="margin:0;background:transparent">
<img src="file://$PWD/$1" width="$2" height="$2" style="display:block"></body></html>
HTML
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --disable-background-networking \
    --default-background-color=00000000 --force-device-scale-factor=1 \
    --window-size="$2,$2" --screenshot="$PWD/$3" "file://$tmp/page.html" >/dev/null 2>&1
  rm -rf "$tmp"
}
render icon.svg 192 icon-192.png
render icon.svg 512 icon-512.png
render icon-maskable.svg 512 icon-maskable-512.png
ls -l icon-192.png icon-512.png icon-maskable-512.png
