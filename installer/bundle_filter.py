"""What the PyInstaller builds leave out of a Qt bundle, shared by the kiosk's spec
(installer/trato-kiosk.spec) and the bare window the bundle benchmark compares it with
(bench/bare_window.spec), so that both are built the same way.

``unwanted(dest)`` is True for a file (its path inside the bundle) the kiosk never loads;
``wanted_hooks(scripts)`` leaves out the PyInstaller run-time hooks it never needs, which
would run at every start before the program's first line.
"""

from pathlib import Path

# Qt's GTK platform theme would drag the build machine's whole GTK 3 stack into the bundle
# (and load it next to the kiosk PC's own GTK modules). A full-screen kiosk draws its own
# style sheet, so the plugin goes, with the libraries only it needs (found with readelf on
# a build: nothing else in the bundle links against them). The PC's own copies are used if
# anything ever asks for one.
GTK_ONLY = (
    "libgtk-3.", "libgdk-3.", "libgdk_pixbuf-2.0.", "libatk-1.0.", "libatk-bridge-2.0.",
    "libatspi.", "libcairo.", "libcairo-gobject.", "libpango-1.0.", "libpangocairo-1.0.",
    "libpangoft2-1.0.", "libepoxy.", "libpixman-1.", "libfribidi.", "libthai.", "libdatrie.",
    "libgraphite2.", "libharfbuzz.", "libjpeg.", "libXcomposite.", "libXcursor.",
    "libXdamage.", "libXi.", "libXinerama.", "libXrandr.", "libXrender.", "libXfixes.",
    "libXext.", "libXau.", "libXdmcp.", "libbsd.", "libmd.",
)


#: Qt plugins the kiosk loads (under PySide6/Qt/plugins on Linux, PySide6/plugins on
#: Windows): the platform it runs on (X11's xcb; on Windows qwindows.dll, without which a
#: Windows build does not start at all), offscreen (smoke checks, tests), compose (dead keys:
#: typing accents on X11; Windows' own input methods live in qwindows.dll), the network
#: reachability backends (sync_bridge) and xcb's GL integrations. Everything else (Wayland,
#: EGLFS, VNC, evdev, image formats, SVG icons, TLS backends: Python's ssl does TLS, desktop
#: portals, Windows' native styles: the kiosk draws its own style sheet) goes, and with it the
#: Qt libraries only those plugins need.
KEPT_PLUGINS = {
    "platforms": ("libqxcb.so", "libqoffscreen.so", "qwindows.dll", "qoffscreen.dll"),
    "platforminputcontexts": ("libcomposeplatforminputcontextplugin.so",),
    "networkinformation": None,  # all
    "xcbglintegrations": None,
}
PLUGIN_ONLY_LIBS = (
    "libQt6WaylandClient.", "libQt6WlShellIntegration.", "libQt6EglFSDeviceIntegration.",
    "libQt6EglFsKmsSupport.", "libQt6Svg.", "libQt6OpenGL.",
)


def _unwanted_plugin(parts: tuple[str, ...]) -> bool:
    if "plugins" not in parts or "PySide6" not in parts:
        return False
    rest = parts[parts.index("plugins") + 1:]
    if len(rest) < 2:
        return False
    if rest[0] not in KEPT_PLUGINS:
        return True
    kept = KEPT_PLUGINS[rest[0]]
    return kept is not None and rest[-1] not in kept


def unwanted(dest: str) -> bool:
    """Files the kiosk never loads: Qt's translations (ours are in assets/), QML, GTK,
    plugins outside :data:`KEPT_PLUGINS` and the libraries only they link."""
    parts = Path(dest).parts
    name = parts[-1]
    if "PySide6" in parts and ("translations" in parts or "qml" in parts):
        return True
    if _unwanted_plugin(parts):
        return True
    if "PySide6" in parts and name.startswith(PLUGIN_ONLY_LIBS):
        return True
    if "platformthemes" in parts and "gtk" in name:
        return True
    return len(parts) == 1 and name.startswith(GTK_ONLY)


#: PyInstaller run-time hooks that run at every start (before the program's first line) for
#: something the kiosk never does. ``pyi_rth_pkgutil`` imports pkgutil to teach
#: ``pkgutil.iter_modules()`` the frozen modules: nothing the kiosk runs lists modules
#: (pkgutil's only user in the bundle, dateutil.zoneinfo, reads a file with ``get_data``,
#: which needs no hook). About 5 ms of every start, measured (docs/operations.md).
UNUSED_RUNTIME_HOOKS = ("pyi_rth_pkgutil",)


def wanted_hooks(scripts: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """``Analysis.scripts`` (run-time hooks, then the entry script) without
    :data:`UNUSED_RUNTIME_HOOKS`."""
    return [entry for entry in scripts if entry[0] not in UNUSED_RUNTIME_HOOKS]
