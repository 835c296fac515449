; Inno Setup 6 script (6.3 to 6.x, not 7): the Trato Digno kiosk for Windows 10/11 (x64), from the
; PyInstaller folder build (dist\trato-kiosk\, made by installer\trato-kiosk.spec on Windows:
; trato-kiosk.exe, the console program for scripts, and trato-kiosk-shell.exe, the windowed
; launcher Shell Launcher starts).
;
;   iscc /DAppVersion=0.1.0 installer\windows\trato-kiosk.iss   -> dist\installer\
;
; Built and installed by .github/workflows/windows-installer.yml on a Windows runner; never
; built on the development machine (docs/operations.md, section 2b). What was reviewed, and
; what only a real Windows run proves: installer\windows\README.md.
;
; Silent, scriptable install (an administrator's PowerShell or a software-distribution tool):
;
;   trato-kiosk-setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /LOG="C:\Temp\td.log"
;       /SERVER=https://trato.imss.gob.mx /TOKENFILE=C:\Temp\token.txt  (enrol now), or
;       /PROVISIONING=E:\provisioning.json                            (a file on a USB stick)
;       /KIOSKUSER=trato          (the kiosk's local account; an upgrade reuses the last one)
;       /UPDATEROOT=E:\1.root.json  (signed updates' trust anchor, a full path; copied to
;                                   {app}\update-root.json; an upgrade without it keeps it)
;
; The token is read from a file (its first line), never from the command line: Setup writes
; its whole command line into its log ("Setup command line: ..." in %TEMP%\Setup Log*.txt and
; in the /LOG file), so /TOKEN=VALUE is refused (exit code 1, nothing installed). The token is
; handed to `trato-kiosk enroll` as --token=VALUE, so a token starting with "-" works, and it
; is masked in every line this script logs. Without /TOKENFILE or /PROVISIONING the kiosk is
; installed unenrolled and shows its first-run screen, where a technician types the short
; enrolment code issued on the board.
;
; Exit codes: Inno Setup's own (0 installed; 1 setup could not start: /TOKEN= was given, or
; /UPDATEROOT= names no file; 2 and 5 cancelled; 3, 4, 7, 8 preparing or installing failed); then, the program being
; installed: 20 the self-test found failures (as the Linux installer), 110 the data folder
; could not be given to the kiosk account (no such account: create it and run setup again;
; the token is not used), and 100 + the code of `trato-kiosk enroll` when the enrolment
; failed: 102 bad arguments (/SERVER without /TOKENFILE, an empty or unreadable token file),
; 104 token refused, 105 server unreachable, 106 credentials not written (run the installer
; again; a refused token needs a new one). An already enrolled kiosk (enroll's 3) is kept and
; counts as success. Enrolment and self-test write their output to install-enrol.txt and
; install-self-test.txt in the data folder.
;
; Data: %ProgramData%\TratoDigno\Kiosk (the database and its -wal file, credentials, logs),
; named machine-wide by TD_KIOSK_DATA_DIR. Installing over an older version never touches it
; (the kiosk migrates its database on first start). Uninstalling keeps it, unless the
; uninstaller is given /PURGE:  "%ProgramFiles%\TratoDigno\Kiosk\unins000.exe" /VERYSILENT /PURGE

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BuildDir
  #define BuildDir "..\..\dist\trato-kiosk"
#endif
#define AppName "Trato Digno - Kiosco"
#define ExeName "trato-kiosk.exe"
#define ShellExeName "trato-kiosk-shell.exe"
#if VER < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (ArchitecturesAllowed=x64compatible)
#endif
#if VER >= EncodeVer(7, 0, 0)
  #error Written for Inno Setup 6: in 7 a 32-bit installer's Exec no longer runs {sys} programs (icacls, cmd, powershell) as 64-bit ones; review [Code] before moving to 7
#endif

[Setup]
AppId={{6D3C2E0B-5B7A-4C61-9E0F-7A1D2B9C4E11}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Instituto Mexicano del Seguro Social
DefaultDirName={autopf}\TratoDigno\Kiosk
DisableDirPage=yes
DisableProgramGroupPage=yes
DisableReadyPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist\installer
OutputBaseFilename=trato-kiosk-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
; The kiosk may be running: close it (Restart Manager), replace the files, start nothing
; here (Shell Launcher starts the shell again: see the README's first-run checklist).
CloseApplications=force
RestartApplications=no
ChangesEnvironment=yes
UninstallDisplayIcon={app}\{#ExeName}
UninstallDisplayName={#AppName}
SetupLogging=yes
WizardStyle=modern

[Languages]
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"

[InstallDelete]
; A new build replaces the whole library folder, so no file of an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BuildDir}\{#ExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BuildDir}\{#ShellExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BuildDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "kiosk-shell.ps1"; DestDir: "{app}"; Flags: ignoreversion
; The signed-update repository's root (docs/operations.md, section 7a), from the machine
; running Setup: without it the kiosk takes no update. Not given: the one there is kept.
Source: "{param:UPDATEROOT|}"; DestDir: "{app}"; DestName: "update-root.json"; Flags: external ignoreversion; Check: UpdateRootGiven

[Dirs]
; Never removed by the uninstaller (only /PURGE does, below).
Name: "{commonappdata}\TratoDigno\Kiosk"; Flags: uninsneveruninstall

[Registry]
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: string; ValueName: "TD_KIOSK_DATA_DIR"; ValueData: "{commonappdata}\TratoDigno\Kiosk"; Flags: uninsdeletevalue

[CustomMessages]
es.NoUpdateRoot=El archivo de /UPDATEROOT= no existe. Indique la ruta del archivo 1.root.json del servidor central.
es.TokenOnCommandLine=No se acepta /TOKEN=: el programa de instalación anota su línea de órdenes completa en su bitácora. Guarde el token en un archivo y use /TOKENFILE=ruta. Si el token ya quedó escrito en una bitácora, pida uno nuevo.

[Code]
const
  { Exit codes beyond Inno Setup's own (the header above; docs/operations.md, section 2b). }
  ExitSelfTestFailed = 20;   { installed; the self-test found failures (Linux: the same) }
  ExitEnrolBase = 100;       { installed; 100 + the exit code of `trato-kiosk enroll` }
  ExitNoKioskAccount = 110;  { installed; the data folder could not be given to the account }
  EnrolUsage = 2;            { `trato-kiosk enroll`: bad arguments }
  EnrolAlreadyEnrolled = 3;  { `trato-kiosk enroll`: credentials exist, kept }
  SelfTestFailed = 3;        { `trato-kiosk self-test`: at least one failure }

var
  InstallExitCode: Integer;

function DataDir(): String;
begin
  Result := ExpandConstant('{commonappdata}\TratoDigno\Kiosk');
end;

function Quoted(const Value: String): String;
begin
  Result := '"' + Value + '"';
end;

{ The kiosk's local account: /KIOSKUSER=, else the one the last install used, else trato. }
function KioskUser(): String;
begin
  Result := ExpandConstant('{param:KIOSKUSER|}');
  if Result = '' then
    Result := GetPreviousData('KioskUser', 'trato');
end;

procedure RegisterPreviousData(PreviousDataKey: Integer);
begin
  SetPreviousData(PreviousDataKey, 'KioskUser', KioskUser());
end;

{ Runs a program hidden and waits; logs the command with Secret (the token) masked. }
function RunLogged(const FileName, Params, Secret: String): Integer;
var
  Code: Integer;
  Shown: String;
begin
  Shown := Params;
  if Secret <> '' then
    StringChangeEx(Shown, Secret, '********', True);
  Log('Running: ' + FileName + ' ' + Shown);
  if not Exec(FileName, Params, ExpandConstant('{app}'), SW_HIDE, ewWaitUntilTerminated, Code) then begin
    Log('Could not start it: ' + SysErrorMessage(Code));
    Code := -1;
  end;
  Log('Exit code: ' + IntToStr(Code));
  Result := Code;
end;

{ cmd.exe parameters that run Command with its output in the file Output and an empty pipe
  as its standard input: the console window of a program started by Setup is hidden, and
  `trato-kiosk enroll` asks for the administrator's PIN when its input is a console, which
  would wait for ever. cmd removes the first and the last quote of /C "..." and runs the
  rest; the exit code is the kiosk's (the last command of the pipe). Tokens are URL-safe
  Base64 (A-Z a-z 0-9 - _): nothing in them means anything to cmd. }
function CmdPiped(const Prefix, Command, Output: String): String;
begin
  Result := '/C "' + Prefix + 'type nul | ' + Command + ' > ' + Quoted(Output) + ' 2>&1"';
end;

function UpdateRootGiven(): Boolean;
begin
  Result := ExpandConstant('{param:UPDATEROOT|}') <> '';
end;

function InitializeSetup(): Boolean;
begin
  Result := True;
  if ExpandConstant('{param:TOKEN|}') <> '' then begin
    Log('/TOKEN= refused: Setup logs its command line; pass the token in /TOKENFILE=.');
    SuppressibleMsgBox(CustomMessage('TokenOnCommandLine'), mbCriticalError, MB_OK, IDOK);
    Result := False;
  end else if UpdateRootGiven() and not FileExists(ExpandConstant('{param:UPDATEROOT|}')) then begin
    Log('/UPDATEROOT= names no file: nothing installed.');
    SuppressibleMsgBox(CustomMessage('NoUpdateRoot'), mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;

{ The kiosk's account reads and writes its data folder; nobody else but administrators and
  SYSTEM. Inherited to every file in it, those already there included. }
function GrantKioskAccount(): Boolean;
begin
  Result := RunLogged(ExpandConstant('{sys}\icacls.exe'), Quoted(DataDir()) +
    ' /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F ' +
    Quoted(KioskUser() + ':(OI)(CI)M'), '') = 0;
  if not Result then
    Log('The data folder could not be given to the account ' + KioskUser() +
      ' (does it exist?): not enrolled; create the account and run setup again.');
end;

{ The token: the first line of the file, spaces and a UTF-8 byte order mark removed. }
function ReadTokenFile(const FileName: String; var Token: String): Boolean;
var
  Lines: TArrayOfString;
begin
  Token := '';
  if LoadStringsFromFile(FileName, Lines) then
    if GetArrayLength(Lines) > 0 then
      Token := Trim(Lines[0]);
  { Nested, not "and": no Token[1] of an empty string, however Pascal Script evaluates. }
  if Length(Token) > 0 then
    if Token[1] = #$FEFF then
      Token := Trim(Copy(Token, 2, Length(Token) - 1));
  Result := Token <> '';
end;

procedure Enrol();
var
  Exe, Server, TokenFile, Token, Provisioning, Params: String;
  Code: Integer;
begin
  Exe := ExpandConstant('{app}\{#ExeName}');
  Server := ExpandConstant('{param:SERVER|}');
  TokenFile := ExpandConstant('{param:TOKENFILE|}');
  Provisioning := ExpandConstant('{param:PROVISIONING|}');
  Token := '';
  if Provisioning <> '' then
    Params := 'enroll ' + Quoted('--file=' + Provisioning)
  else if (TokenFile <> '') or (Server <> '') then begin
    if (Server = '') or (TokenFile = '') or not ReadTokenFile(TokenFile, Token) then begin
      Log('/SERVER and /TOKENFILE go together, and the token file must hold the token: ' +
        'not enrolled.');
      InstallExitCode := ExitEnrolBase + EnrolUsage;
      Exit;
    end;
    Params := 'enroll ' + Quoted('--server=' + Server) + ' ' + Quoted('--token=' + Token);
  end else begin
    Log('No /TOKENFILE or /PROVISIONING: the kiosk shows its first-run screen.');
    Exit;
  end;
  Params := Params + ' ' + Quoted('--data-dir=' + DataDir());
  Code := RunLogged(ExpandConstant('{cmd}'),
    CmdPiped('', Quoted(Exe) + ' ' + Params, DataDir() + '\install-enrol.txt'), Token);
  if Code = EnrolAlreadyEnrolled then
    Log('Already enrolled: kept.')
  else if Code <> 0 then
    InstallExitCode := ExitEnrolBase + Code;
end;

{ The report goes to the data folder. Offscreen: Setup often runs where no desktop is shown
  (SYSTEM, from a software-distribution tool); the kiosk's own window, and the self-test run
  in the kiosk's session, check the Windows platform plugin. }
procedure SelfTest();
var
  Code: Integer;
begin
  Code := RunLogged(ExpandConstant('{cmd}'),
    CmdPiped('set QT_QPA_PLATFORM=offscreen&& ', Quoted(ExpandConstant('{app}\{#ExeName}')) +
      ' self-test ' + Quoted('--data-dir=' + DataDir()), DataDir() + '\install-self-test.txt'),
    '');
  if (Code = SelfTestFailed) and (InstallExitCode = 0) then
    InstallExitCode := ExitSelfTestFailed;
end;

{ A kiosk that took signed updates runs what updates\current names: the version installed
  now is the one to run, so the pointers, the probation and the last verdict go (the
  unpacked versions stay until the updater prunes them; the Kioscos page's rollout still
  decides which version the kiosk takes next). As install-kiosk.sh does on Linux. }
procedure ForgetUpdateFile(const Name: String);
begin
  if DeleteFile(DataDir() + '\updates\' + Name) then
    Log('Signed updates: removed updates\' + Name + ' (the installed version runs).');
end;

procedure ForgetTakenUpdates();
begin
  ForgetUpdateFile('current');
  ForgetUpdateFile('previous');
  ForgetUpdateFile('pending');
  ForgetUpdateFile('testing');
  ForgetUpdateFile('probation');
  ForgetUpdateFile('result');
  ForgetUpdateFile('status.json');
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then begin
    InstallExitCode := 0;
    ForgetTakenUpdates();
    if GrantKioskAccount() then
      Enrol()
    else
      InstallExitCode := ExitNoKioskAccount;
    SelfTest();
  end;
end;

function GetCustomSetupExitCode(): Integer;
begin
  Result := InstallExitCode;
end;

function PurgeRequested(): Boolean;
var
  I: Integer;
begin
  { The uninstaller hands its command line to its second phase, so /PURGE is seen here. }
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), '/PURGE') = 0 then
      Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usUninstall then begin
    { Shell Launcher must not go on starting a program that is being removed; the script
      does nothing where Shell Launcher is not enabled. Its exit code never stops the
      uninstall. }
    RunLogged(ExpandConstant('{sys}\WindowsPowerShell\v1.0\powershell.exe'),
      '-NoProfile -NonInteractive -ExecutionPolicy Bypass -File ' +
      Quoted(ExpandConstant('{app}\kiosk-shell.ps1')) + ' -Remove', '');
  end;
  if (CurUninstallStep = usPostUninstall) and PurgeRequested() then begin
    Log('/PURGE: removing ' + DataDir());
    DelTree(DataDir(), True, True, True);
  end;
end;
