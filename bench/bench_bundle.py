"""Bundle size and start-up of the INSTALLED kiosk, beside a bare PySide6 window built the
same way (PyInstaller onedir, stripped, the same Qt plugins left out) in the same run.
Targets: start-up at most 1.2x the bare window's, bundle at most 1.5x the bare bundle.

1. builds both folder bundles (or takes ``--kiosk-bundle``, e.g. dist/trato-kiosk);
2. builds the makeself installer and installs the kiosk into a throwaway root (``--root``);
3. starts each program N times in pairs, back to back (which goes first alternates), after
   one uncounted warm-up each, in each mode: ``kiosk-mode`` is the kiosk as its service
   runs it (``trato-kiosk run``, covering the screen) beside the bare window shown full
   screen, ``windowed`` is ``run --windowed`` beside the bare window, both 1280x800. Both
   programs run on the same Qt platform (offscreen, with a 1366x768 screen, unless
   QT_QPA_PLATFORM is set), and it takes the time from just before the process is spawned
   to its first frame on screen, read from Qt's own painting log (``qt.widgets.painting``,
   wall-clock stamps) for both alike: for the kiosk that frame is the attract screen. The
   time to the kiosk's "kiosk starting" log line (store and services loaded after that
   frame) is printed too;
4. prints the sizes (files' bytes, as ``du --apparent-size``), each program's median and
   quartiles, and, for each mode, the start-up ratio three ways: of the medians (the
   target's figure), the median of the pairs' ratios (a pair shares the machine's moment)
   and of the fastest starts (noise only ever adds time). On a shared machine single starts
   of the same program vary by half; the three agreeing is what makes a figure worth
   quoting.

    .venv/bin/python bench/bench_bundle.py [--n 21] [--kiosk-bundle dist/trato-kiosk]
        [--modes kiosk-mode,windowed]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYINSTALLER = Path(sys.executable).parent / "pyinstaller"
KIOSK_STARTING = "kiosk starting"


def build(spec: Path, work: Path, name: str) -> Path:
    done = subprocess.run([str(PYINSTALLER), "--noconfirm", "--log-level", "WARN", "--distpath",
                           str(work / "dist"), "--workpath", str(work / "build"), str(spec)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"pyinstaller {spec.name} failed:\n{done.stderr[-3000:]}")
    return work / "dist" / name


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def install(bundle: Path, work: Path) -> Path:
    installer = work / "trato-kiosk.run"
    subprocess.run(["bash", str(ROOT / "installer" / "build-linux-installer.sh"), str(bundle),
                    str(installer)], check=True, capture_output=True,
                   env=dict(os.environ, COMPLEVEL="1"))
    root = work / "root"
    subprocess.run([str(installer), "--root", str(root), "--no-session"], check=True,
                   capture_output=True)
    return root


#: Qt's own log of its widget painting, with wall-clock stamps: the first "Flushing top
#: level" line is the moment the window's first frame went to the screen, for both programs
#: alike (no probe inside the installed kiosk).
PAINT_LOG = {"QT_LOGGING_RULES": "qt.widgets.painting=true",
             "QT_MESSAGE_PATTERN": "%{time yyyy-MM-dd HH:mm:ss.zzz}|%{message}"}
FLUSH = "Flushing top level"


#: How each program is started in each mode: the kiosk as its service runs it (``run``,
#: covering the screen) and as staff run it on a desktop (``run --windowed``, 1280x800), the
#: bare window shown the same way.
MODES = {"kiosk-mode": ((), ("--full-screen",)), "windowed": (("--windowed",), ())}
#: The offscreen platform's screen in kiosk mode (its default is 800x800): a common panel.
OFFSCREEN_SCREEN = {"screens": [{"name": "panel", "x": 0, "y": 0, "width": 1366,
                                 "height": 768, "logicalDpi": 96, "logicalBaseDpi": 96,
                                 "dpr": 1}]}


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return {**env, **PAINT_LOG, **(extra or {})}


def _platform_env(work: Path) -> dict[str, str]:
    """On the offscreen platform, a 1366x768 screen (for both programs alike)."""
    if "QT_QPA_PLATFORM" in os.environ:
        return {}
    config = work / "offscreen-screen.json"
    config.write_text(json.dumps(OFFSCREEN_SCREEN), encoding="utf-8")
    return {"QT_QPA_PLATFORM": f"offscreen:configfile={config}"}


def _stamp(text: str, fmt: str) -> float:
    return datetime.strptime(text, fmt).timestamp()


def first_frame(args: list[str], env: dict[str, str], *, store_log: Path | None = None
                ) -> tuple[float, float | None]:
    """Seconds from spawn to the first frame flushed; and (``store_log``) to the kiosk's
    "kiosk starting" line, logged once the store loader ran after that frame."""
    start = time.time()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stderr is not None
        frame = None
        for line in proc.stderr:
            if FLUSH in line:
                frame = _stamp(line.split("|", 1)[0], "%Y-%m-%d %H:%M:%S.%f") - start
                break
        if frame is None:
            raise RuntimeError(f"{args[0]} exited before its first frame")
        loaded = None
        deadline = time.monotonic() + 60
        while store_log is not None and loaded is None and time.monotonic() < deadline:
            lines = store_log.read_text(encoding="utf-8").splitlines() \
                if store_log.exists() else []
            found = [row for row in lines if KIOSK_STARTING in row]
            if found:
                loaded = _stamp(found[0][:23], "%Y-%m-%d %H:%M:%S,%f") - start
            time.sleep(0.02)
        return frame, loaded
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def time_bare(exe: Path, mode: str, platform: dict[str, str]) -> float:
    return first_frame([str(exe), *MODES[mode][1]], _env(platform))[0]


def time_kiosk(exe: Path, data: Path, mode: str, platform: dict[str, str]
               ) -> tuple[float, float | None]:
    log = data / "logs" / "kiosk.log"
    if log.exists():
        log.unlink()
    return first_frame([str(exe), "run", *MODES[mode][0]],
                       _env({**platform, "TD_KIOSK_DATA_DIR": str(data)}), store_log=log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=21)
    parser.add_argument("--kiosk-bundle", type=Path, help="an existing folder build")
    parser.add_argument("--modes", type=lambda text: text.split(","), default=list(MODES),
                        help="comma-separated, of: " + ", ".join(MODES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as tmp:
        work = Path(tmp)
        bare = build(ROOT / "bench" / "bare_window" / "bare_window.spec", work / "bare",
                     "bare-window")
        kiosk_bundle = args.kiosk_bundle or build(ROOT / "installer" / "trato-kiosk.spec",
                                                  work / "kiosk", "trato-kiosk")
        root = install(kiosk_bundle, work)
        installed = root / "opt" / "trato-kiosk"
        data = work / "data"
        sizes = {"bare": folder_bytes(bare), "kiosk": folder_bytes(installed)}
        platform = _platform_env(work)
        samples: dict[str, dict[str, list[float]]] = {}
        loaded: list[float] = []
        for mode in args.modes:
            # Warm-ups (page cache, fontconfig cache); the first also makes the database.
            time_bare(bare / "bare-window", mode, platform)
            time_kiosk(installed / "trato-kiosk", data, mode, platform)
            samples[mode] = {"bare": [], "kiosk": []}
        for i in range(args.n):
            for mode in args.modes:
                if i % 2:
                    samples[mode]["bare"].append(time_bare(bare / "bare-window", mode, platform))
                frame, store = time_kiosk(installed / "trato-kiosk", data, mode, platform)
                samples[mode]["kiosk"].append(frame)
                if not i % 2:
                    samples[mode]["bare"].append(time_bare(bare / "bare-window", mode, platform))
                if store is not None:
                    loaded.append(store)
    platform_name = _env(platform)["QT_QPA_PLATFORM"].split(":")[0]
    print(f"bundle_bench: n={args.n}, Qt platform {platform_name}"
          f"{' (1366x768 screen)' if platform else ''}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.2f}")
    for mode, times in samples.items():
        report(mode, times, sizes)
    if loaded:
        print(f"kiosk: store, services and sync loaded (\"{KIOSK_STARTING}\") after "
              f"{statistics.median(loaded):.3f} s median")
    print(f"size kiosk/bare: {sizes['kiosk'] / sizes['bare']:.2f}x (target <= 1.5x)")


def report(mode: str, samples: dict[str, list[float]], sizes: dict[str, int]) -> None:
    print(f"{mode:12}{'size MB':>10}{'median s':>10}{'quartiles s':>16}{'min s':>8}{'max s':>8}")
    for name in ("bare", "kiosk"):
        times = samples[name]
        low, _, high = statistics.quantiles(times, n=4)
        print(f"  {name:10}{sizes[name] / 1e6:>10.1f}{statistics.median(times):>10.3f}"
              f"{f'{low:.3f}-{high:.3f}':>16}{min(times):>8.3f}{max(times):>8.3f}")
    kiosk, bare = samples["kiosk"], samples["bare"]
    of_medians = statistics.median(kiosk) / statistics.median(bare)
    of_pairs = statistics.median(k / b for k, b in zip(kiosk, bare, strict=True))
    of_fastest = min(kiosk) / min(bare)
    print(f"  start-up kiosk/bare ({mode}): {of_medians:.2f}x of the medians (target <= 1.2x), "
          f"{of_pairs:.2f}x median of the pairs, {of_fastest:.2f}x of the fastest")


if __name__ == "__main__":
    main()
