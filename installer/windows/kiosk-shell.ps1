#Requires -RunAsAdministrator
#Requires -PSEdition Desktop
<#
.SYNOPSIS
  Lock a Windows 10/11 Enterprise or Education PC down as a Trato Digno kiosk: Shell Launcher
  runs trato-kiosk-shell.exe instead of Explorer for the kiosk's account (started again when
  it exits, except after "Salir del modo quiosco", exit code 75), Keyboard Filter blocks the
  keys that leave it, the screen never sleeps.

.DESCRIPTION
  Installed beside the kiosk by trato-kiosk-setup.exe; run once, as an administrator, after
  the install and after creating the kiosk's local account (docs/operations.md, section 2b).
  Windows PowerShell 5.1 (powershell.exe), not PowerShell 7: [wmiclass] is what Microsoft's
  Shell Launcher samples use, and PowerShell 7 does not have it. Not run on the development
  machine nor on CI (a runner has neither feature): review it on a test PC first.
  Other accounts (administrators) keep Explorer. Keyboard Filter applies to every standard
  (non-administrator) account of the PC, not only to the kiosk's.

  Shell Launcher is configured through its WMI class WESL_UserSetting (namespace
  root\standardcimv2\embedded), which Shell Launcher v1 and v2 both read; the v2-only way is
  an Assigned Access XML from an MDM (Intune), not this script.

  Exit codes: 0 done; 20 a Windows feature was enabled: restart the PC and run it again;
  anything else: a step failed (the error is printed).

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File "C:\Program Files\TratoDigno\Kiosk\kiosk-shell.ps1" -User trato

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File "C:\Program Files\TratoDigno\Kiosk\kiosk-shell.ps1" -Remove
  Undo it: no custom shell runs trato-kiosk any more, the keys are no longer blocked (the
  uninstaller runs this; it does nothing where Shell Launcher is not enabled).
#>
param(
    [string]$User = "trato",
    [string]$Exe = "$env:ProgramFiles\TratoDigno\Kiosk\trato-kiosk-shell.exe",
    [switch]$NoKeyboardFilter,
    [switch]$Remove
)
$ErrorActionPreference = "Stop"
$namespace = "root\standardcimv2\embedded"
# Shell Launcher's actions when the shell exits.
$restartShell = 0
$doNothing = 3
# The combinations Keyboard Filter blocks (WEKF_PredefinedKey Id values).
$keys = "Ctrl+Alt+Del", "Alt+F4", "Alt+Tab", "Alt+Esc", "Alt+Space", "Ctrl+Esc",
        "Ctrl+Shift+Esc", "Shift+Ctrl+Esc", "Win+L", "Windows", "Ctrl+Win+F", "Win+Tab",
        "Win+D", "Win+E", "Win+R", "Win+X", "Win+I", "Win+A"

function Get-Feature([string]$Name) {
    # $null where the feature does not exist at all (Pro, Home, Windows Server: a CI runner),
    # whether DISM says so with an error or with nothing.
    try { Get-WindowsOptionalFeature -Online -FeatureName $Name -ErrorAction Stop } catch { $null }
}

function Test-Feature([string]$Name) {
    $feature = Get-Feature $Name
    $null -ne $feature -and $feature.State -eq "Enabled"
}

function Assert-Wmi($Result, [string]$What) {
    # WMI methods report failure in ReturnValue (an HRESULT) without throwing.
    if ($Result.ReturnValue -ne 0) { throw "${What} failed: ReturnValue $($Result.ReturnValue)" }
}

function Set-Keys([bool]$Blocked) {
    $count = 0
    foreach ($key in $keys) {
        $setting = Get-CimInstance -Namespace $namespace -ClassName WEKF_PredefinedKey |
            Where-Object { $_.Id -eq $key }
        if ($setting) {
            Set-CimInstance -InputObject $setting -Property @{ Enabled = $Blocked }
            $count++
        } else {
            # A warning, not output: the function's output is the count.
            Write-Warning "Keyboard Filter: no predefined key $key on this Windows version."
        }
    }
    $count
}

if ($Remove) {
    if (-not (Test-Feature "Client-EmbeddedShellLauncher")) {
        Write-Output "Shell Launcher is not enabled: nothing to remove."
        exit 0
    }
    $shell = [wmiclass]"\\localhost\${namespace}:WESL_UserSetting"
    $ours = @(Get-CimInstance -Namespace $namespace -ClassName WESL_UserSetting |
        Where-Object { $_.Shell -like "*trato-kiosk*" })
    foreach ($setting in $ours) {
        Assert-Wmi ($shell.RemoveCustomShell($setting.Sid)) "RemoveCustomShell"
        Write-Output "Shell Launcher: $($setting.Sid) no longer runs the kiosk."
    }
    if (Test-Feature "Client-KeyboardFilter") {
        $count = Set-Keys $false
        Write-Output "Keyboard Filter: $count key combinations no longer blocked."
    }
    exit 0
}

$sid = (New-Object System.Security.Principal.NTAccount($User)).Translate(
    [System.Security.Principal.SecurityIdentifier]).Value
if (-not (Test-Path $Exe)) { throw "no ${Exe}: install the kiosk first" }

$features = @("Client-EmbeddedShellLauncher")
if (-not $NoKeyboardFilter) { $features += "Client-KeyboardFilter" }
$enabled = @()
foreach ($feature in $features) {
    if (-not (Test-Feature $feature)) {
        if (-not (Get-Feature $feature)) {
            throw "Windows has no $feature here: Enterprise, Education or IoT Enterprise is needed"
        }
        Enable-WindowsOptionalFeature -Online -FeatureName $feature -All -NoRestart | Out-Null
        $enabled += $feature
    }
}
if ($enabled.Count -gt 0) {
    Write-Output "Enabled $($enabled -join ', '): restart the PC, then run this script again."
    exit 20
}

$shell = [wmiclass]"\\localhost\${namespace}:WESL_UserSetting"
Assert-Wmi ($shell.SetDefaultShell("explorer.exe", $restartShell)) "SetDefaultShell"
try { $shell.RemoveCustomShell($sid) | Out-Null } catch { }  # none yet: nothing to remove
Assert-Wmi ($shell.SetCustomShell($sid, "`"$Exe`" run", [int[]]@(75), [int[]]@($doNothing),
    $restartShell)) "SetCustomShell"
Assert-Wmi ($shell.SetEnabled($true)) "SetEnabled"
Write-Output "Shell Launcher: $User runs $Exe."

if (-not $NoKeyboardFilter) {
    $count = Set-Keys $true
    # Administrators are not filtered, so IT can still work once signed in as one.
    $filter = Get-CimInstance -Namespace $namespace -ClassName WEKF_Settings |
        Where-Object { $_.Name -eq "DisableKeyboardFilterForAdministrators" }
    if ($filter) { Set-CimInstance -InputObject $filter -Property @{ Value = "true" } }
    Write-Output "Keyboard Filter: $count key combinations blocked for standard accounts."
}

# Mains power and battery: the screen and the PC never sleep.
foreach ($setting in "monitor-timeout-ac", "monitor-timeout-dc", "standby-timeout-ac",
                     "standby-timeout-dc") {
    powercfg /change $setting 0
    if ($LASTEXITCODE -ne 0) { throw "powercfg /change $setting 0 failed: $LASTEXITCODE" }
}
Write-Output "Screen and sleep timeouts off. Set up automatic sign-in of $User (Sysinternals Autologon) and restart."
