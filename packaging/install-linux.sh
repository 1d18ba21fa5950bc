#!/bin/sh
# Install a one-folder build on a Linux workstation (run as root):
#   packaging/install-linux.sh [dist/kresladi-bedside]
# Puts the program in /opt/kresladi-bedside, a command in /usr/local/bin, the menu entry and the
# icon where desktops look; then runs the self-test so IT sees the result at once.
set -eu
SRC=${1:-dist/kresladi-bedside}
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x "$SRC/kresladi-bedside" ] || { echo "no build at $SRC (run: make package)"; exit 1; }
rm -rf /opt/kresladi-bedside
cp -a "$SRC" /opt/kresladi-bedside
ln -sf /opt/kresladi-bedside/kresladi-bedside /usr/local/bin/kresladi-bedside
install -D -m 644 "$HERE/kresladi-bedside.desktop" /usr/share/applications/kresladi-bedside.desktop
install -D -m 644 "$HERE/../resources/icons/kresladi-bedside-256.png" \
    /usr/share/icons/hicolor/256x256/apps/kresladi-bedside.png
install -D -m 644 "$HERE/../resources/icons/kresladi-bedside-48.png" \
    /usr/share/icons/hicolor/48x48/apps/kresladi-bedside.png
mkdir -p /etc/xdg/kresladi-bedside
[ -e /etc/xdg/kresladi-bedside/site.toml ] || \
    echo "No /etc/xdg/kresladi-bedside/site.toml yet: start from resources/site.example.toml"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && \
    gtk-update-icon-cache -q /usr/share/icons/hicolor || true
/opt/kresladi-bedside/kresladi-bedside self-test || true
