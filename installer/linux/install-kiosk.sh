#!/usr/bin/env bash
# Install, upgrade or remove the Trato Digno kiosk on a Debian 12 / Ubuntu 24.04 PC.
# It is the entry point of the one-file installer (trato-kiosk-VERSION-linux-x86_64.run,
# built by installer/build-linux-installer.sh with makeself) and is installed as
# /opt/trato-kiosk/install-kiosk.sh, where it serves to uninstall.
#
#   sudo ./trato-kiosk-VERSION-linux-x86_64.run --server https://trato.imss.gob.mx --token TOKEN
#   sudo ./trato-kiosk-VERSION-linux-x86_64.run --provisioning /media/usb/provisioning.json
#   sudo ./trato-kiosk-VERSION-linux-x86_64.run              # upgrade: program + session only
#   sudo /opt/trato-kiosk/install-kiosk.sh --uninstall [--purge]
#
# Options:
#   --server URL --token TOKEN  enrol with a one-time token issued by the central server
#                               (a token may start with "-"; --token=TOKEN works too)
#   --provisioning FILE         enrol with a provisioning file {"server","token","ca_bundle"}
#   --ca-bundle FILE            PEM bundle of the hospital's private CA
#   --update-root FILE          the signed-update repository's root.json (trust anchor)
#   --force                     enrol again although the kiosk is enrolled (new token)
#   --staff-pin-hash HASH       scrypt hash of the staff PIN (see docs/operations.md)
#   --no-packages               do not apt-get the X server, LightDM and Qt's libraries
#   --no-session                do not install the kiosk session (program and enrolment only)
#   --no-lockdown               keep VT switching, Ctrl+Alt+Backspace, SysRq and Ctrl+Alt+Del
#                               (a PC in a lab; see "Lock-down" in docs/operations.md)
#   --root DIR                  install into DIR as if it were / (tests, image building): no
#                               apt-get, no account, no systemctl; the files are written
#   --uninstall                 remove the program and the session; the data stays
#   --purge                     with --uninstall: also delete the data and the account
#   -h, --help                  this text
#
# Exit codes: 0 done; 2 bad arguments; 10 not run as root; 11 system packages could not be
# installed; 12 a file could not be written; 3 already enrolled is reported and ignored;
# 4 token refused, 5 server unreachable, 6 credentials not written (enrolment; the program
# is installed, the session is not); 20 installed, but the self-test found failures.
set -Eeuo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ACCOUNT=trato-kiosk
ROOT="" SERVER="" TOKEN="" PROVISIONING="" CA="" UPDATE_ROOT="" FORCE=0 PIN_HASH="" PACKAGES=1 SESSION=1
UNINSTALL=0 PURGE=0 LOCKDOWN=1

usage() { sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "install-kiosk: $*" >&2; exit 2; }
step() { echo "==> $*"; }
trap 'code=$?; echo "install-kiosk: step failed (line $LINENO, exit $code)" >&2; exit 12' ERR

need() { [[ $# -ge 2 ]] || die "$1 needs a value"; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --server) need "$@"; SERVER="$2"; shift 2 ;;
        --server=*) SERVER="${1#*=}"; shift ;;
        --token) need "$@"; TOKEN="$2"; shift 2 ;;
        --token=*) TOKEN="${1#*=}"; shift ;;
        --provisioning|--file) need "$@"; PROVISIONING="$2"; shift 2 ;;
        --ca-bundle) need "$@"; CA="$2"; shift 2 ;;
        --update-root) need "$@"; UPDATE_ROOT="$2"; shift 2 ;;
        --force) FORCE=1; shift ;;
        --staff-pin-hash) need "$@"; PIN_HASH="$2"; shift 2 ;;
        --no-packages) PACKAGES=0; shift ;;
        --no-session) SESSION=0; shift ;;
        --no-lockdown) LOCKDOWN=0; shift ;;
        --root) need "$@"; ROOT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
        --uninstall) UNINSTALL=1; shift ;;
        --purge) PURGE=1; shift ;;
        -h|--help) usage 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done

[[ -n "$SERVER" && -z "$TOKEN" ]] && die "--server needs --token"
[[ -z "$SERVER" && -n "$TOKEN" ]] && die "--token needs --server"
[[ -n "$PROVISIONING" && -n "$SERVER" ]] && die "use --server/--token or --provisioning"
[[ -n "$PROVISIONING" && ! -f "$PROVISIONING" ]] && die "no provisioning file $PROVISIONING"
[[ -n "$CA" && ! -f "$CA" ]] && die "no CA bundle $CA"
[[ -n "$UPDATE_ROOT" && ! -f "$UPDATE_ROOT" ]] && die "no update root $UPDATE_ROOT"
[[ $PURGE -eq 1 && $UNINSTALL -eq 0 ]] && die "--purge goes with --uninstall"
[[ -n "$PIN_HASH" && "$PIN_HASH" != scrypt\$* ]] && die "--staff-pin-hash must start with scrypt\$"
if [[ -z "$ROOT" && $EUID -ne 0 ]]; then
    echo "install-kiosk: run as root (sudo $0 ...), or pass --root DIR" >&2
    exit 10
fi

PREFIX="$ROOT/opt/trato-kiosk"
DATA="$ROOT/var/lib/trato-kiosk"
CONF="$ROOT/etc/trato-kiosk"
UNIT="$ROOT/etc/systemd/user/trato-kiosk.service"
XSESSION="$ROOT/usr/share/xsessions/trato-kiosk.desktop"
LIGHTDM="$ROOT/etc/lightdm/lightdm.conf.d/50-trato-kiosk.conf"
XORG_LOCK="$ROOT/etc/X11/xorg.conf.d/50-trato-kiosk-lockdown.conf"
SYSCTL_LOCK="$ROOT/etc/sysctl.d/50-trato-kiosk-lockdown.conf"
real() { [[ -z "$ROOT" ]]; }  # installing on this machine (not into --root)

# Run the installed kiosk as its account (into --root: as whoever runs this), umask 077.
as_kiosk() {
    if real; then
        (umask 0077; runuser -u "$ACCOUNT" -- env -i HOME="$DATA" PATH=/usr/bin:/bin \
            LANG=C.UTF-8 TMPDIR="$DATA/.cache/trato-kiosk" QT_QPA_PLATFORM=offscreen "$@")
    else
        (umask 0077; env QT_QPA_PLATFORM=offscreen TMPDIR="$DATA/.cache/trato-kiosk" "$@")
    fi
}
user_systemctl() {  # the account's systemd manager, when its session runs
    local uid
    uid=$(id -u "$ACCOUNT" 2>/dev/null) && [[ -S "/run/user/$uid/bus" ]] || return 0
    runuser -u "$ACCOUNT" -- env XDG_RUNTIME_DIR="/run/user/$uid" systemctl --user "$@" || true
}

# ---------------------------------------------------------------------------- uninstall
if [[ $UNINSTALL -eq 1 ]]; then
    real && user_systemctl stop trato-kiosk.service
    step "removing the program and the kiosk session"
    rm -rf "$PREFIX" "$PREFIX.new" "$PREFIX.old"
    rm -f "$UNIT" "$XSESSION" "$LIGHTDM" "$XORG_LOCK" "$SYSCTL_LOCK"
    if real; then
        systemctl unmask ctrl-alt-del.target 2>/dev/null || true
        sysctl --system >/dev/null 2>&1 || true
        systemctl daemon-reload 2>/dev/null || true
    fi
    if [[ $PURGE -eq 1 ]]; then
        step "purging the data ($DATA) and the account"
        rm -rf "$DATA" "$CONF"
        if real && id "$ACCOUNT" >/dev/null 2>&1; then userdel "$ACCOUNT" || true; fi
    else
        echo "install-kiosk: data kept in $DATA (database, logs, credentials); --purge deletes it"
    fi
    echo "install-kiosk: uninstalled"
    exit 0
fi

[[ -x "$HERE/trato-kiosk/trato-kiosk" ]] || die "no kiosk bundle at $HERE/trato-kiosk"
NEW_VERSION="$(cat "$HERE/VERSION" 2>/dev/null || echo unknown)"
OLD_VERSION="$(cat "$PREFIX/VERSION" 2>/dev/null || true)"

# 1. System packages: X server, LightDM, the window manager, Qt's xcb libraries.
if real && [[ $PACKAGES -eq 1 && $SESSION -eq 1 ]]; then
    step "system packages"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -q && apt-get install -y -q --no-install-recommends \
        xserver-xorg-core xserver-xorg-input-libinput xserver-xorg-video-all x11-xserver-utils \
        lightdm lightdm-gtk-greeter matchbox-window-manager dbus-user-session \
        libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
        libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1 libx11-xcb1 \
        libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 sqlite3; }; then
        echo "install-kiosk: apt-get failed" >&2
        exit 11
    fi
fi

# 2. The service account: no password, no sudo; its home is the data folder.
if real; then
    if ! id "$ACCOUNT" >/dev/null 2>&1; then
        step "account $ACCOUNT"
        useradd --system --user-group --home-dir "$DATA" --shell /bin/bash \
            --comment "Trato Digno kiosk" "$ACCOUNT"
        passwd --lock "$ACCOUNT" >/dev/null
    fi
    groupadd -f autologin  # Debian's LightDM PAM stack auto-logs-in members of `autologin`
    usermod -a -G autologin "$ACCOUNT"
else
    echo "install-kiosk: --root: no account created (the files belong to $(id -un))"
fi

# 3. The data folder: created if missing, never emptied (database, -wal, logs, credentials).
step "data folder $DATA"
mkdir -p "$DATA/.cache/trato-kiosk"
chmod 0700 "$DATA"
real && chown "$ACCOUNT:$ACCOUNT" "$DATA" "$DATA/.cache" "$DATA/.cache/trato-kiosk"

# 4. The program: the new folder is copied beside the old one and swapped in by renames.
if [[ -n "$OLD_VERSION" ]]; then
    step "upgrade $OLD_VERSION -> $NEW_VERSION in $PREFIX (the kiosk migrates its database at start)"
else
    step "program $NEW_VERSION -> $PREFIX"
fi
mkdir -p "$(dirname "$PREFIX")"
rm -rf "$PREFIX.new" "$PREFIX.old"
cp -a "$HERE/trato-kiosk" "$PREFIX.new"
cp "$HERE/VERSION" "$PREFIX.new/VERSION" 2>/dev/null || echo "$NEW_VERSION" >"$PREFIX.new/VERSION"
install -m 0755 "$HERE/install-kiosk.sh" "$HERE/kiosk-session" "$HERE/trato-kiosk-launch" \
    "$PREFIX.new/"
# Signed updates: the repository's root.json (given now, or kept from the installed version).
if [[ -n "$UPDATE_ROOT" ]]; then
    install -m 0644 "$UPDATE_ROOT" "$PREFIX.new/update-root.json"
elif [[ -f "$PREFIX/update-root.json" ]]; then
    cp "$PREFIX/update-root.json" "$PREFIX.new/update-root.json"
fi
real && chown -R root:root "$PREFIX.new"
chmod -R go-w,a+rX "$PREFIX.new"
[[ -d "$PREFIX" ]] && mv "$PREFIX" "$PREFIX.old"
mv "$PREFIX.new" "$PREFIX"
rm -rf "$PREFIX.old"
# A kiosk that took signed updates runs what <data>/updates/current points at: the version
# installed now is the one to run, so the pointers, the probation and the last verdict go
# (the unpacked versions stay until the updater prunes them; the Kioscos page's rollout still
# decides which version the kiosk takes next).
if [[ -d "$DATA/updates" ]]; then
    rm -f "$DATA/updates/current" "$DATA/updates/previous" "$DATA/updates/pending" \
        "$DATA/updates/testing" "$DATA/updates/probation" "$DATA/updates/result" \
        "$DATA/updates/status.json"
fi
if [[ -n "$CA" ]]; then
    install -d -m 0755 "$CONF"
    install -m 0644 "$CA" "$CONF/ca-bundle.pem"
    CA="$CONF/ca-bundle.pem"
fi

# 5. The staff PIN hash: kiosk.env in the data folder (0600, the account's).
if [[ -n "$PIN_HASH" ]]; then
    step "staff PIN"
    env_file="$DATA/kiosk.env"
    touch "$env_file"
    grep -v '^TD_KIOSK_STAFF_PIN_HASH=' "$env_file" >"$env_file.new" || true
    echo "TD_KIOSK_STAFF_PIN_HASH=$PIN_HASH" >>"$env_file.new"
    chmod 0600 "$env_file.new"
    real && chown "$ACCOUNT:$ACCOUNT" "$env_file.new"
    mv -f "$env_file.new" "$env_file"
elif ! grep -qs '^TD_KIOSK_STAFF_PIN_HASH=' "$DATA/kiosk.env"; then
    echo "install-kiosk: WARNING: no --staff-pin-hash: this kiosk uses the DEMO staff PIN" >&2
fi

# 6. Enrolment, as the account (credentials 0600 in the data folder).
if [[ -n "$SERVER" || -n "$PROVISIONING" ]]; then
    step "enrolment"
    args=(enroll --data-dir "$DATA")
    if [[ -n "$PROVISIONING" ]]; then
        prov_dir="$(mktemp -d)"  # the account must be able to read the file
        trap 'rm -rf "$prov_dir"' EXIT
        install -m 0400 "$PROVISIONING" "$prov_dir/provisioning.json"
        real && chown "$ACCOUNT" "$prov_dir/provisioning.json"
        chmod 0711 "$prov_dir"
        args+=(--file "$prov_dir/provisioning.json")
    else
        args+=(--server "$SERVER" "--token=$TOKEN")
    fi
    [[ -n "$CA" ]] && args+=(--ca-bundle "$CA")
    [[ $FORCE -eq 1 ]] && args+=(--force)
    code=0
    as_kiosk "$PREFIX/trato-kiosk" "${args[@]}" || code=$?
    if [[ $code -eq 3 ]]; then
        echo "install-kiosk: already enrolled; kept (pass --force with a new token to re-enrol)"
    elif [[ $code -ne 0 ]]; then
        echo "install-kiosk: enrolment failed (exit $code); the kiosk session was not installed" >&2
        exit "$code"
    fi
fi

# 7. The kiosk session: LightDM autologin -> kiosk-session (X, matchbox, no blanking) ->
#    the systemd user unit that restarts the kiosk whenever it exits.
if [[ $SESSION -eq 1 ]]; then
    step "kiosk session"
    install -D -m 0644 "$HERE/trato-kiosk.service" "$UNIT"
    install -D -m 0644 "$HERE/trato-kiosk.desktop" "$XSESSION"
    install -D -m 0644 "$HERE/50-trato-kiosk.conf" "$LIGHTDM"
    if real; then
        systemctl daemon-reload
        systemctl enable lightdm.service
        systemctl set-default graphical.target
        user_systemctl daemon-reload  # an upgrade on a running kiosk: restart it on the new
        user_systemctl try-restart trato-kiosk.service  # program (it migrates then)
    fi
fi

# 7a. Lock-down: no way from the touch screen (or a keyboard someone plugs in) to a text
#     console, a killed X server, the kernel's SysRq keys or a reboot by Ctrl+Alt+Del.
#     IT reaches the PC over SSH or by "Salir del modo quiosco" (docs/operations.md).
if [[ $SESSION -eq 1 && $LOCKDOWN -eq 1 ]]; then
    step "lock-down"
    install -d -m 0755 "$(dirname "$XORG_LOCK")" "$(dirname "$SYSCTL_LOCK")"
    cat >"$XORG_LOCK" <<'CONF'
# Trato Digno kiosk (install-kiosk.sh): no Ctrl+Alt+Fn to a console, no Ctrl+Alt+Backspace.
Section "ServerFlags"
    Option "DontVTSwitch" "true"
    Option "DontZap" "true"
EndSection
CONF
    printf '%s\n' "# Trato Digno kiosk (install-kiosk.sh): the SysRq keys do nothing." \
        "kernel.sysrq = 0" >"$SYSCTL_LOCK"
    chmod 0644 "$XORG_LOCK" "$SYSCTL_LOCK"
    if real; then
        systemctl mask ctrl-alt-del.target >/dev/null
        sysctl --system >/dev/null || true
    fi
elif [[ $LOCKDOWN -eq 0 ]]; then
    rm -f "$XORG_LOCK" "$SYSCTL_LOCK"
    real && { systemctl unmask ctrl-alt-del.target 2>/dev/null || true; }
fi

# 8. Self-test of what was installed (offscreen: the session's display is not up yet).
step "self-test"
code=0
as_kiosk "$PREFIX/trato-kiosk" self-test --data-dir "$DATA" || code=$?
if [[ $code -ge 3 ]]; then
    echo "install-kiosk: installed, but the self-test found failures (see above)" >&2
    exit 20
fi
echo "install-kiosk: done ($NEW_VERSION). Reboot (or: systemctl restart lightdm) to start the kiosk."
