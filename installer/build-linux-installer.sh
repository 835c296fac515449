#!/usr/bin/env bash
# The Linux one-file installer: the folder build (dist/trato-kiosk, from the PyInstaller spec)
# and installer/linux/* packed by Debian's `makeself` into one self-extracting file.
#
#   installer/build-linux-installer.sh [BUNDLE_DIR] [OUTPUT]
#       BUNDLE_DIR  default dist/trato-kiosk
#       OUTPUT      default dist/trato-kiosk-VERSION-linux-x86_64.run
#   COMPLEVEL=1 installer/build-linux-installer.sh     # faster, bigger (tests)
#
# The archive runs installer/linux/install-kiosk.sh with the arguments it was given. The stock
# makeself header stops at the first option it does not know ("Unrecognized flag"), so that
# `--server URL --token TOKEN` would need a `--` first; the header used here is the stock one
# with that branch turned into "the installer's own options start here".
set -euo pipefail
cd "$(dirname "$0")/.."

BUNDLE="${1:-dist/trato-kiosk}"
[[ -x "$BUNDLE/trato-kiosk" ]] || { echo "no folder build at $BUNDLE (make dist)" >&2; exit 2; }
# The version the build carries (the spec writes it), else the source tree's.
VERSION="$(cat "$BUNDLE/_internal/VERSION" 2>/dev/null \
    || .venv/bin/python -c 'import kiosk; print(kiosk.__version__)' 2>/dev/null \
    || python3 -c 'import kiosk; print(kiosk.__version__)')"
OUTPUT="${2:-dist/trato-kiosk-$VERSION-linux-x86_64.run}"
STOCK_HEADER="${MAKESELF_HEADER:-/usr/share/makeself/makeself-header.sh}"
command -v makeself >/dev/null || { echo "makeself is missing (apt-get install makeself)" >&2; exit 2; }

WORK="$(mktemp -d -t trato-installer-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/trato-kiosk-$VERSION"
mkdir -p "$STAGE"
cp -a "$BUNDLE" "$STAGE/trato-kiosk"
cp installer/linux/install-kiosk.sh installer/linux/kiosk-session installer/linux/trato-kiosk.service \
    installer/linux/trato-kiosk.desktop installer/linux/50-trato-kiosk.conf \
    installer/linux/trato-kiosk-launch "$STAGE/"
chmod 0755 "$STAGE/install-kiosk.sh" "$STAGE/kiosk-session" "$STAGE/trato-kiosk-launch"
echo "$VERSION" >"$STAGE/VERSION"

# The header: unknown options are passed on to install-kiosk.sh instead of refused.
awk '
    /^    -\*\)$/ { print; getline; if ($0 ~ /Unrecognized flag/) { print "\tbreak ;;";
                    skip = 1; next } }
    skip && /^\t;;$/ { skip = 0; next }
    skip { next }
    { print }
' "$STOCK_HEADER" >"$WORK/header.sh"
if grep -q "Unrecognized flag" "$WORK/header.sh"; then
    echo "build-linux-installer: could not adapt $STOCK_HEADER (makeself changed?)" >&2
    exit 1
fi
sed -n '2,32p' installer/linux/install-kiosk.sh | sed 's/^# \{0,1\}//' >"$WORK/help.txt"

mkdir -p "$(dirname "$OUTPUT")"
makeself --nox11 --sha256 --complevel "${COMPLEVEL:-6}" --header "$WORK/header.sh" \
    --help-header "$WORK/help.txt" --tar-quietly \
    "$STAGE" "$OUTPUT" "Trato Digno kiosk $VERSION" ./install-kiosk.sh >"$WORK/makeself.log" \
    || { cat "$WORK/makeself.log" >&2; exit 1; }
echo "$OUTPUT ($(du -m "$OUTPUT" | cut -f1) MB)"
