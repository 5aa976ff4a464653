#!/bin/sh
# Installs the Debian packages aiosim needs to build and test, when it can.
# Run as root (or with password-less sudo) it installs what is missing; otherwise
# it stops with one line naming the packages to install.
PKGS="make gcc pkg-config libsqlite3-dev libcairo2-dev libpango1.0-dev libsdl2-dev libcmocka-dev fonts-noto-cjk sqlite3 poppler-utils"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"
else
    echo "aiosim: missing Debian packages:$missing — install them with: sudo apt-get install$missing" >&2
    exit 1
fi
echo "aiosim: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q $missing >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null 2>&1
    $SUDO apt-get install -y -q $missing >/dev/null || {
        echo "aiosim: could not install:$missing — install them with: sudo apt-get install$missing" >&2
        exit 1
    }
}
