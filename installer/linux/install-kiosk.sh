#!/usr/bin/env bash
# Install (or upgrade) the Trato Digno kiosk on a Debian 12 / Ubuntu 24.04 PC and enrol it.
# Run as root, from the folder that holds this script, the session files and the
# `trato-kiosk` executable (or pass --exe):
#
#   ./install-kiosk.sh --server https://trato.imss.gob.mx --token TOKEN [--ca-bundle ca.pem]
#   ./install-kiosk.sh --file provisioning.json          # token kept out of the process list
#   ./install-kiosk.sh                                    # upgrade: executable + session only
#
# Options:
#   --server URL --token TOKEN  enrol with a one-time token issued by the central server
#   --file FILE                 enrol with a provisioning file {"server","token","ca_bundle"}
#   --ca-bundle FILE            PEM bundle of the hospital's private CA (copied to /opt)
#   --force                     enrol again although the kiosk is enrolled (new token)
#   --staff-pin-hash HASH       scrypt hash of the staff PIN (see docs/operations.md);
#                               without it a NEW install keeps the demo PIN: set one!
#   --exe FILE                  the kiosk executable (default: ./trato-kiosk next to this script)
#   --no-packages               do not apt-get the X server, LightDM and Qt's libraries
#   --no-session                do not install the autologin kiosk session (enrol only)
#   --dry-run                   print what would be done, change nothing
#
# Exit codes: 0 done; 2 usage; 10 not root; otherwise the failing step's exit code (enrolment
# codes: 3 already enrolled, 4 token refused, 5 server unreachable, 6 local write failed).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX=/opt/trato-digno
KIOSK_USER=trato
APP_DIR_NAME=trato-digno-kiosk

SERVER="" TOKEN="" FILE="" CA="" FORCE=0 PIN_HASH="" EXE="" PACKAGES=1 SESSION=1 DRY=0

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "install-kiosk: $*" >&2; exit 2; }
run() {
    if [[ $DRY -eq 1 ]]; then printf '+'; printf ' %q' "$@"; printf '\n'; else "$@"; fi
}
step() { echo "==> $*"; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --server) SERVER="${2:?}"; shift 2 ;;
        --token) TOKEN="${2:?}"; shift 2 ;;
        --file) FILE="${2:?}"; shift 2 ;;
        --ca-bundle) CA="${2:?}"; shift 2 ;;
        --force) FORCE=1; shift ;;
        --staff-pin-hash) PIN_HASH="${2:?}"; shift 2 ;;
        --exe) EXE="${2:?}"; shift 2 ;;
        --no-packages) PACKAGES=0; shift ;;
        --no-session) SESSION=0; shift ;;
        --dry-run) DRY=1; shift ;;
        -h|--help) usage 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done

[[ -n "$SERVER" && -z "$TOKEN" ]] && die "--server needs --token"
[[ -z "$SERVER" && -n "$TOKEN" ]] && die "--token needs --server"
[[ -n "$FILE" && -n "$SERVER" ]] && die "use --server/--token or --file, not both"
[[ -n "$FILE" && ! -f "$FILE" ]] && die "no provisioning file $FILE"
[[ -n "$CA" && ! -f "$CA" ]] && die "no CA bundle $CA"
[[ -n "$PIN_HASH" && "$PIN_HASH" != scrypt\$* ]] && die "--staff-pin-hash must start with scrypt\$"
EXE="${EXE:-$HERE/trato-kiosk}"
[[ -x "$EXE" ]] || die "no kiosk executable at $EXE (pass --exe)"
if [[ $EUID -ne 0 && $DRY -eq 0 ]]; then
    echo "install-kiosk: run as root (sudo $0 ...)" >&2
    exit 10
fi

HOME_DIR="/home/$KIOSK_USER"
DATA_DIR="$HOME_DIR/.local/share/$APP_DIR_NAME"
# Run the kiosk executable as the kiosk user, with a clean environment.
# umask 077: the database and logs it creates are the kiosk user's alone (as in the service).
as_kiosk() {
    (
        umask 0077
        run runuser -u "$KIOSK_USER" -- env -i HOME="$HOME_DIR" PATH=/usr/bin:/bin \
            LANG=C.UTF-8 TMPDIR="$HOME_DIR/.cache/trato-kiosk" "$@"
    )
}

# 1. System packages: X server, LightDM, a minimal window manager, Qt's xcb libraries.
if [[ $PACKAGES -eq 1 && $SESSION -eq 1 ]]; then
    step "system packages"
    export DEBIAN_FRONTEND=noninteractive
    run apt-get update -q
    run apt-get install -y -q --no-install-recommends \
        xserver-xorg-core xserver-xorg-input-libinput xserver-xorg-video-all x11-xserver-utils \
        lightdm lightdm-gtk-greeter matchbox-window-manager dbus-user-session \
        libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
        libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1 libxcb-xinerama0 \
        libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 sqlite3
fi

# 2. The kiosk user: unprivileged, no password, no sudo; its home holds all kiosk data.
if ! id "$KIOSK_USER" >/dev/null 2>&1; then
    step "user $KIOSK_USER"
    run useradd --create-home --home-dir "$HOME_DIR" --shell /bin/bash --user-group \
        --comment "Trato Digno kiosk" "$KIOSK_USER"
    run passwd --lock "$KIOSK_USER"
fi
run chmod 0700 "$HOME_DIR"
# Debian/Ubuntu's LightDM PAM stack only auto-logs-in members of `autologin`.
run groupadd -f autologin
run usermod -a -G autologin "$KIOSK_USER"
run install -d -o "$KIOSK_USER" -g "$KIOSK_USER" -m 0700 \
    "$HOME_DIR/.local" "$HOME_DIR/.local/share" "$DATA_DIR" "$HOME_DIR/.cache" \
    "$HOME_DIR/.cache/trato-kiosk"

# 3. The executable (replaced atomically: a running kiosk keeps its old copy until restart).
step "executable -> $PREFIX/trato-kiosk"
run install -d -m 0755 "$PREFIX"
run install -m 0755 "$EXE" "$PREFIX/.trato-kiosk.new"
run mv -f "$PREFIX/.trato-kiosk.new" "$PREFIX/trato-kiosk"
if [[ -n "$CA" ]]; then
    run install -m 0644 "$CA" "$PREFIX/ca-bundle.pem"
    CA="$PREFIX/ca-bundle.pem"
fi

# 4. Settings: the staff PIN hash goes to kiosk.env in the data dir (0600, kiosk user).
if [[ -n "$PIN_HASH" ]]; then
    step "staff PIN"
    if [[ $DRY -eq 1 ]]; then
        echo "+ write TD_KIOSK_STAFF_PIN_HASH to $DATA_DIR/kiosk.env"
    else
        env_file="$DATA_DIR/kiosk.env"
        touch "$env_file"
        grep -v '^TD_KIOSK_STAFF_PIN_HASH=' "$env_file" > "$env_file.new" || true
        echo "TD_KIOSK_STAFF_PIN_HASH=$PIN_HASH" >> "$env_file.new"
        chown "$KIOSK_USER:$KIOSK_USER" "$env_file.new"
        chmod 0600 "$env_file.new"
        mv -f "$env_file.new" "$env_file"
    fi
elif [[ $DRY -eq 0 ]] && ! grep -qs '^TD_KIOSK_STAFF_PIN_HASH=' "$DATA_DIR/kiosk.env"; then
    echo "install-kiosk: WARNING: no --staff-pin-hash: this kiosk uses the DEMO staff PIN" >&2
fi

# 5. Enrolment, silently, as the kiosk user (credentials 0600 in its data dir).
if [[ -n "$SERVER" || -n "$FILE" ]]; then
    step "enrolment"
    args=(enroll --data-dir "$DATA_DIR")
    if [[ -n "$FILE" ]]; then
        # The kiosk user must be able to read the file (and a relative CA path beside it).
        prov_dir="$(mktemp -d)"
        trap 'rm -rf "$prov_dir"' EXIT
        run install -m 0400 -o "$KIOSK_USER" "$FILE" "$prov_dir/provisioning.json"
        run chmod 0711 "$prov_dir"
        args+=(--file "$prov_dir/provisioning.json")
    else
        args+=(--server "$SERVER" --token "$TOKEN")
    fi
    [[ -n "$CA" ]] && args+=(--ca-bundle "$CA")
    [[ $FORCE -eq 1 ]] && args+=(--force)
    set +e
    as_kiosk "$PREFIX/trato-kiosk" "${args[@]}"
    code=$?
    set -e
    if [[ $code -eq 3 ]]; then
        echo "install-kiosk: already enrolled; kept (pass --force with a new token to re-enrol)"
    elif [[ $code -ne 0 ]]; then
        echo "install-kiosk: enrolment failed (exit $code); the kiosk session was not installed" >&2
        exit "$code"
    fi
fi

# 6. The kiosk session: systemd user service, X session, LightDM autologin.
if [[ $SESSION -eq 1 ]]; then
    step "kiosk session"
    run install -m 0644 "$HERE/trato-kiosk.service" /etc/systemd/user/trato-kiosk.service
    run install -m 0755 "$HERE/kiosk-session" "$PREFIX/kiosk-session"
    run install -d -m 0755 /usr/share/xsessions /etc/lightdm/lightdm.conf.d
    run install -m 0644 "$HERE/trato-kiosk.desktop" /usr/share/xsessions/trato-kiosk.desktop
    run install -m 0644 "$HERE/50-trato-kiosk.conf" /etc/lightdm/lightdm.conf.d/50-trato-kiosk.conf
    run systemctl daemon-reload
    run systemctl enable lightdm.service
    run systemctl set-default graphical.target
    # An upgrade on a running kiosk: restart it on the new executable (migrations run then).
    if [[ $DRY -eq 0 ]] && uid=$(id -u "$KIOSK_USER") && [[ -S "/run/user/$uid/bus" ]]; then
        runuser -u "$KIOSK_USER" -- env XDG_RUNTIME_DIR="/run/user/$uid" \
            systemctl --user daemon-reload || true
        runuser -u "$KIOSK_USER" -- env XDG_RUNTIME_DIR="/run/user/$uid" \
            systemctl --user try-restart trato-kiosk.service || true
    fi
fi

step "status"
as_kiosk "$PREFIX/trato-kiosk" status --data-dir "$DATA_DIR" || true
echo "install-kiosk: done. Reboot (or: systemctl restart lightdm) to start the kiosk session."
