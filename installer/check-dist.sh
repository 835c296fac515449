#!/usr/bin/env bash
# Smoke checks of a built kiosk (the folder build, or the launcher inside it; run after
# `make dist`; tests/installer runs it on every build).
#
#   installer/check-dist.sh [dist/trato-kiosk | dist/trato-kiosk/trato-kiosk]
#
# 1. `trato-kiosk --help` answers;
# 2. `trato-kiosk status` on a new data dir prints the JSON status, enrolled=false, exit 1;
# 3. `trato-kiosk run --windowed` (Qt offscreen) starts: the attract screen is painted (the
#    store is opened right after the first paint, which logs "kiosk starting"), the database
#    is created under the data dir and migrated to the newest revision, no start-up error;
#    then it is stopped with SIGTERM and must quit cleanly.
# 4. a second start (database already migrated) reaches the attract screen again;
# 5. `trato-kiosk self-test --json` answers with every check (Qt offscreen).
# Prints the bundle's size and the time to the attract screen. Exit 0 when all pass.
set -u

EXE="${1:-dist/trato-kiosk}"
RUN_SECONDS="${RUN_SECONDS:-20}"
[[ -d "$EXE" ]] && EXE="$EXE/trato-kiosk"
if [[ ! -x "$EXE" || -d "$EXE" ]]; then
    echo "check-dist: no executable at $EXE (build it with: make dist)" >&2
    exit 2
fi
EXE="$(cd "$(dirname "$EXE")" && pwd)/$(basename "$EXE")"
WORK="$(mktemp -d -t trato-check-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
failures=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

size_mb=$(du -sm "$(dirname "$EXE")" | cut -f1)
echo "executable: $EXE (bundle folder: ${size_mb} MB)"

# 1. --help
t0=$(now)
if "$EXE" --help >"$WORK/help.txt" 2>&1 && grep -q "enroll" "$WORK/help.txt"; then
    pass "--help ($(elapsed "$t0" "$(now)") s)"
else
    fail "--help"; sed 's/^/      /' "$WORK/help.txt"
fi

# 2. status on an unenrolled kiosk
"$EXE" status --data-dir "$WORK/unenrolled" >"$WORK/status.json" 2>"$WORK/status.err"
code=$?
if [[ $code -eq 1 ]] && grep -q '"enrolled": false' "$WORK/status.json"; then
    pass "status (unenrolled, exit 1): $(cat "$WORK/status.json")"
else
    fail "status: exit $code"; sed 's/^/      /' "$WORK/status.json" "$WORK/status.err"
fi

# 3. run, offscreen, until SIGTERM
DATA="$WORK/data"
LOG="$DATA/logs/kiosk.log"
t0=$(now)
QT_QPA_PLATFORM=offscreen "$EXE" run --windowed --data-dir "$DATA" >"$WORK/run.out" 2>&1 &
pid=$!
start_time=""
for _ in $(seq 1 $((RUN_SECONDS * 20))); do
    if [[ -z "$start_time" ]] && grep -q "kiosk starting" "$LOG" 2>/dev/null; then
        start_time=$(elapsed "$t0" "$(now)")
    fi
    if [[ -n "$start_time" ]] && grep -q "database migrated" "$LOG" 2>/dev/null; then
        break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
sleep 1  # let the sync/timers settle so a late start-up error would be logged
if kill -0 "$pid" 2>/dev/null; then
    pass "run: still running after start"
    kill -TERM "$pid"
    wait "$pid"
    code=$?
    if [[ $code -eq 0 ]] && grep -q "kiosk stopped" "$LOG"; then
        pass "run: SIGTERM quits cleanly (exit 0)"
    else
        fail "run: exit $code after SIGTERM"
    fi
else
    wait "$pid"
    fail "run: exited by itself (exit $?)"
fi
if [[ -n "$start_time" ]]; then
    pass "run: attract screen painted and store loading after ${start_time} s"
else
    fail "run: no 'kiosk starting' in $LOG"
fi
if [[ -f "$DATA/kiosk.db" ]]; then
    revision=""
    if command -v sqlite3 >/dev/null; then
        revision=$(sqlite3 "$DATA/kiosk.db" "select version_num from alembic_version" 2>/dev/null)
    fi
    pass "run: database created under the data dir (schema revision ${revision:-unknown})"
else
    fail "run: no $DATA/kiosk.db"
fi
if grep -q "could not finish starting\|Traceback\|cannot be opened" "$LOG" "$WORK/run.out"; then
    fail "run: start-up error"; sed 's/^/      /' "$LOG" "$WORK/run.out"
else
    pass "run: no start-up error in the log"
fi

# 4. warm start (database already migrated): time to the attract screen again
rm -f "$LOG"
t0=$(now)
QT_QPA_PLATFORM=offscreen "$EXE" run --windowed --data-dir "$DATA" >"$WORK/run2.out" 2>&1 &
pid=$!
warm=""
for _ in $(seq 1 $((RUN_SECONDS * 20))); do
    if grep -q "kiosk starting" "$LOG" 2>/dev/null; then warm=$(elapsed "$t0" "$(now)"); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
if [[ -n "$warm" ]]; then pass "run (second start): attract screen after ${warm} s"; else fail "second start"; fi

# 5. self-test (offscreen: the screen is Qt's fake one, so it may warn; never a failure)
QT_QPA_PLATFORM=offscreen "$EXE" self-test --json --data-dir "$DATA" >"$WORK/selftest.json" \
    2>"$WORK/selftest.err"
code=$?
if [[ $code -le 1 ]] && grep -q '"name": "database"' "$WORK/selftest.json"; then
    pass "self-test (exit $code)"
else
    fail "self-test: exit $code"; sed 's/^/      /' "$WORK/selftest.json" "$WORK/selftest.err"
fi

echo
if [[ $failures -eq 0 ]]; then
    echo "check-dist: all checks passed"
else
    echo "check-dist: $failures check(s) failed"
fi
exit $((failures > 0))
