"""The Windows installer's files, checked on Linux (the installer itself is built and run by
.github/workflows/windows-installer.yml on a Windows runner): the Inno Setup script takes
what the PyInstaller folder build makes, the workflow builds and installs that, and the
enrolment passes the token in the ``--token=VALUE`` form."""

import re
from pathlib import Path, PureWindowsPath

import yaml

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "installer" / "windows" / "trato-kiosk.iss"
SPEC = ROOT / "installer" / "trato-kiosk.spec"
WORKFLOW = ROOT / ".github" / "workflows" / "windows-installer.yml"


def _define(text: str, name: str) -> str:
    match = re.search(rf'#define {name} "([^"]+)"', text)
    assert match, name
    return match.group(1)


def _resolve(relative: str) -> Path:
    return (ISS.parent / Path(*PureWindowsPath(relative).parts)).resolve()


def test_the_script_takes_the_folder_build_the_spec_makes() -> None:
    iss, spec = ISS.read_text(), SPEC.read_text()
    # The spec's launcher and folder are both named trato-kiosk; PyInstaller 6 puts the rest
    # under _internal unless told otherwise.
    assert re.search(r'EXE\(.*?name="trato-kiosk"', spec, re.S)
    assert re.search(r'COLLECT\(.*?name="trato-kiosk"', spec, re.S)
    assert "contents_directory" not in spec
    build_dir = _resolve(_define(iss, "BuildDir"))
    assert build_dir == ROOT / "dist" / "trato-kiosk"
    assert _define(iss, "ExeName") == "trato-kiosk.exe"
    sources = re.findall(r'^Source: "([^"]+)"', iss, re.M)
    assert sources == ['{#BuildDir}\\{#ExeName}', '{#BuildDir}\\{#ShellExeName}',
                       '{#BuildDir}\\_internal\\*', "kiosk-shell.ps1", "{param:UPDATEROOT|}"]
    assert _define(iss, "ShellExeName") == "trato-kiosk-shell.exe"
    assert (ISS.parent / "kiosk-shell.ps1").is_file()
    # Pascal blocks close; the data folder survives the uninstaller; upgrades replace the
    # library folder whole.
    code = iss.split("[Code]", 1)[1]
    assert len(re.findall(r"\bbegin\b", code)) == len(re.findall(r"\bend\b", code))
    assert "uninsneveruninstall" in iss and 'Name: "{app}\\_internal"' in iss


def test_enrolment_passes_values_joined_to_their_option() -> None:
    iss = ISS.read_text()
    assert "Quoted('--token=' + Token)" in iss and "Quoted('--server=' + Server)" in iss
    assert "Quoted('--file=' + Provisioning)" in iss
    assert "GetCustomSetupExitCode" in iss and "ExitEnrolBase + Code" in iss
    assert "'/PURGE'" in iss


def test_the_update_root_is_copied_beside_the_program_when_given() -> None:
    """/UPDATEROOT= puts the signed updates' trust anchor where the updater reads it
    (kiosk.sync.updater: ``update-root.json`` beside the installed program); an upgrade
    without it keeps the one there; a path to no file stops Setup before it installs."""
    iss = ISS.read_text()
    line = next(x for x in iss.splitlines() if x.startswith('Source: "{param:UPDATEROOT|}"'))
    assert 'DestName: "update-root.json"' in line and 'DestDir: "{app}"' in line
    assert "external" in line and "Check: UpdateRootGiven" in line
    code = iss.split("[Code]", 1)[1]
    setup = re.search(r"function InitializeSetup\(\): Boolean;.*?\nend;", code, re.S).group(0)
    assert "not FileExists(ExpandConstant('{param:UPDATEROOT|}'))" in setup
    # Installing over a kiosk that took signed updates: the installed version runs next.
    forget = re.search(r"procedure ForgetTakenUpdates\(\);.*?\nend;", code, re.S).group(0)
    from kiosk.sync.versions import Layout

    layout = Layout("D", "P")
    for path in (layout.current, layout.previous, layout.pending, layout.testing,
                 layout.probation, layout.result, layout.status_file):
        assert f"'{path.name}'" in forget
    assert "ForgetTakenUpdates();" in code.split("procedure CurStepChanged", 1)[1]
    from kiosk.sync.updater import ROOT_FILE

    assert ROOT_FILE == "update-root.json"


def test_the_token_never_reaches_a_log() -> None:
    """Setup logs its own command line, so the token comes from a file (/TOKENFILE) and a
    /TOKEN= on the command line is refused; the enrolment command is logged with the token
    masked, and its input is an empty pipe (no PIN prompt waits in a hidden console)."""
    code = ISS.read_text().split("[Code]", 1)[1]
    assert "{param:TOKENFILE|}" in code and "ReadTokenFile(TokenFile, Token)" in code
    refusal = re.search(r"function InitializeSetup\(\): Boolean;.*?\nend;", code, re.S).group(0)
    assert "{param:TOKEN|}" in refusal and "Result := False" in refusal
    assert code.count("{param:TOKEN|}") == 1  # only to refuse it
    assert "StringChangeEx(Shown, Secret, '********', True)" in code
    assert re.search(r"RunLogged\(ExpandConstant\('\{cmd\}'\),\s*CmdPiped\('', Quoted\(Exe\)"
                     r" \+ ' ' \+ Params, [^;]*\), Token\);", code)
    assert "'type nul | '" in code
    assert re.search(r"^Log\(", code, re.M) is None  # every Log is inside a function
    assert not re.search(r"Log\([^;]*Token[^;]*\)", code)


def test_the_workflow_builds_the_spec_compiles_the_script_and_installs_it() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    job = workflow["jobs"]["build"]
    assert job["runs-on"].startswith("windows")
    script = "\n".join(step.get("run", "") for step in job["steps"])
    assert "pyinstaller --noconfirm installer\\trato-kiosk.spec" in script
    assert "installer\\windows\\trato-kiosk.iss" in script
    iss = ISS.read_text()
    output_dir = _resolve(re.search(r"^OutputDir=(.+)$", iss, re.M).group(1).strip())
    assert output_dir == ROOT / "dist" / "installer"
    assert re.search(r"^OutputBaseFilename=trato-kiosk-setup-", iss, re.M)
    assert "dist\\installer\\trato-kiosk-setup-*.exe" in script
    for flag in ("/VERYSILENT", "/SUPPRESSMSGBOXES", "/PURGE", "'/TOKEN=-", "/TOKENFILE="):
        assert flag in script
    assert "self-test" in script
    # The token file starts with "-" and has a BOM; no log or report may contain it.
    assert "-Value '-dashfirst-token-0123' -Encoding utf8BOM" in script
    assert "-SimpleMatch 'dashfirst-token'" in script
    # Inno Setup 6 (the script refuses 7), pinned where the image has none.
    assert "Inno Setup 6\\ISCC.exe" in script and "--version $env:INNO_SETUP_VERSION" in script
    assert job["env"]["INNO_SETUP_VERSION"].startswith("6.")
    # The runner ends a pwsh step with `exit $LASTEXITCODE`: the self-test's warnings (1)
    # must not fail its step.
    selftest = next(step for step in job["steps"] if step.get("name", "").startswith("Installed"))
    assert selftest["run"].rstrip().endswith("exit 0")


def test_a_windows_bundle_keeps_the_windows_platform_plugin(monkeypatch) -> None:
    """The bundle filter is shared with Linux: on Windows it must keep qwindows.dll (without
    it the kiosk does not start) and qoffscreen.dll, and still drop what Linux drops."""
    monkeypatch.syspath_prepend(str(ROOT / "installer"))
    from bundle_filter import unwanted

    plugins = PureWindowsPath("PySide6", "plugins")
    for kept in ("platforms/qwindows.dll", "platforms/qoffscreen.dll",
                 "networkinformation/qnetworklistmanager.dll"):
        assert not unwanted(str(Path(*(plugins / kept).parts))), kept
    for dropped in ("platforms/qminimal.dll", "styles/qmodernwindowsstyle.dll",
                    "imageformats/qjpeg.dll"):
        assert unwanted(str(Path(*(plugins / dropped).parts))), dropped
    # The spec strips symbols on Linux only and adds the windowed launcher Shell Launcher runs.
    spec = SPEC.read_text()
    assert 'STRIP = not WINDOWS' in spec and spec.count("strip=STRIP") == 3
    assert re.search(r'if WINDOWS:.*?name="trato-kiosk-shell".*?console=False', spec, re.S)
