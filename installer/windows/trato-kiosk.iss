; Inno Setup 6 script: the Trato Digno kiosk for Windows 10/11 (x64), from the PyInstaller
; folder build (dist\trato-kiosk\, made by installer\trato-kiosk.spec on Windows).
;
;   iscc /DAppVersion=0.1.0 installer\windows\trato-kiosk.iss   -> dist\installer\
;
; Built and installed by .github/workflows/windows-installer.yml on a Windows runner; never
; built on the development machine (docs/operations.md, "Windows kiosk PCs").
;
; Silent, scriptable install (an administrator's PowerShell or a software-distribution tool):
;
;   trato-kiosk-setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /LOG="C:\Temp\td.log"
;       /SERVER=https://trato.imss.gob.mx /TOKEN=<one-time token>      (enrol now), or
;       /PROVISIONING=E:\provisioning.json                             (a file on a USB stick)
;       /KIOSKUSER=trato                                               (the kiosk's account)
;
; Without /TOKEN or /PROVISIONING the kiosk is installed unenrolled and shows its first-run
; screen, where a technician types the short enrolment code issued on the board. The token
; is passed as --token=VALUE, so a token starting with "-" works.
;
; Exit codes: Inno Setup's own (0 installed, 1/2 setup could not start or was cancelled,
; 3-8 preparing or installing failed), and 100 + the code of `trato-kiosk enroll` when the
; program was installed but the enrolment failed: 102 bad arguments, 104 token refused,
; 105 server unreachable, 106 credentials not written (run the installer again with a new
; token). An already enrolled kiosk (enroll's 3) is kept and counts as success.
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
; here (Shell Launcher restarts the shell).
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
Source: "{#BuildDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "kiosk-shell.ps1"; DestDir: "{app}"; Flags: ignoreversion

[Dirs]
; Never removed by the uninstaller (only /PURGE does, below).
Name: "{commonappdata}\TratoDigno\Kiosk"; Flags: uninsneveruninstall

[Registry]
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: string; ValueName: "TD_KIOSK_DATA_DIR"; ValueData: "{commonappdata}\TratoDigno\Kiosk"; Flags: uninsdeletevalue

[Code]
var
  EnrolExitCode: Integer;

function DataDir(): String;
begin
  Result := ExpandConstant('{commonappdata}\TratoDigno\Kiosk');
end;

function Quoted(const Value: String): String;
begin
  Result := '"' + Value + '"';
end;

function RunLogged(const FileName, Params: String): Integer;
var
  Code: Integer;
begin
  Log('Running: ' + FileName + ' ' + Params);
  if not Exec(FileName, Params, ExpandConstant('{app}'), SW_HIDE, ewWaitUntilTerminated, Code) then
    Code := -1;
  Log('Exit code: ' + IntToStr(Code));
  Result := Code;
end;

procedure GrantKioskAccount();
var
  User: String;
begin
  { The kiosk's account reads and writes its data folder; nobody else but administrators. }
  User := ExpandConstant('{param:KIOSKUSER|trato}');
  RunLogged(ExpandConstant('{sys}\icacls.exe'), Quoted(DataDir()) +
    ' /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F /grant:r *S-1-5-18:(OI)(CI)F' +
    ' /grant:r ' + Quoted(User + ':(OI)(CI)M'));
end;

procedure Enrol();
var
  Exe, Server, Token, Provisioning, Params: String;
begin
  Exe := ExpandConstant('{app}\{#ExeName}');
  Server := ExpandConstant('{param:SERVER|}');
  Token := ExpandConstant('{param:TOKEN|}');
  Provisioning := ExpandConstant('{param:PROVISIONING|}');
  if Provisioning <> '' then
    Params := 'enroll ' + Quoted('--file=' + Provisioning)
  else if (Server <> '') and (Token <> '') then
    Params := 'enroll ' + Quoted('--server=' + Server) + ' ' + Quoted('--token=' + Token)
  else begin
    Log('No /TOKEN or /PROVISIONING: the kiosk shows its first-run screen.');
    Exit;
  end;
  Params := Params + ' ' + Quoted('--data-dir=' + DataDir());
  EnrolExitCode := RunLogged(Exe, Params);
  if EnrolExitCode = 3 then begin
    Log('Already enrolled: kept.');
    EnrolExitCode := 0;
  end;
end;

procedure SelfTest();
begin
  { The report goes to the data folder; it never fails the install (docs: section 2a). }
  RunLogged(ExpandConstant('{cmd}'), '/C "' + Quoted(ExpandConstant('{app}\{#ExeName}')) +
    ' self-test ' + Quoted('--data-dir=' + DataDir()) + ' > ' +
    Quoted(DataDir() + '\install-self-test.txt') + ' 2>&1"');
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then begin
    EnrolExitCode := 0;
    GrantKioskAccount();
    Enrol();
    SelfTest();
  end;
end;

function GetCustomSetupExitCode(): Integer;
begin
  if EnrolExitCode <> 0 then
    Result := 100 + EnrolExitCode
  else
    Result := 0;
end;

function PurgeRequested(): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), '/PURGE') = 0 then
      Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and PurgeRequested() then begin
    Log('/PURGE: removing ' + DataDir());
    DelTree(DataDir(), True, True, True);
  end;
end;
