<#
.SYNOPSIS
  Lock a Windows 10/11 Enterprise or Education PC down as a Trato Digno kiosk: Shell Launcher
  v2 runs trato-kiosk.exe instead of Explorer for the kiosk's account (restarted when it
  exits, except after "Salir del modo quiosco", exit code 75), Keyboard Filter blocks the
  keys that leave it, the screen never sleeps.

.DESCRIPTION
  Installed beside the kiosk by trato-kiosk-setup.exe; run once, as an administrator, after
  the install and after creating the kiosk's local account (docs/operations.md, "Windows
  kiosk PCs"). Not run on the development machine: review it on a test PC first.
  Other accounts (administrators) keep Explorer.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File "C:\Program Files\TratoDigno\Kiosk\kiosk-shell.ps1" -User trato
#>
param(
    [string]$User = "trato",
    [string]$Exe = "$env:ProgramFiles\TratoDigno\Kiosk\trato-kiosk.exe",
    [switch]$NoKeyboardFilter,
    [switch]$Remove
)
$ErrorActionPreference = "Stop"

$sid = (New-Object System.Security.Principal.NTAccount($User)).Translate(
    [System.Security.Principal.SecurityIdentifier]).Value

$features = @("Client-EmbeddedShellLauncher")
if (-not $NoKeyboardFilter) { $features += "Client-KeyboardFilter" }
foreach ($feature in $features) {
    $state = (Get-WindowsOptionalFeature -Online -FeatureName $feature).State
    if ($state -ne "Enabled") {
        Enable-WindowsOptionalFeature -Online -FeatureName $feature -All -NoRestart | Out-Null
        Write-Output "Enabled ${feature}: restart the PC, then run this script again."
        exit 20
    }
}

$shell = [wmiclass]"\\localhost\root\standardcimv2\embedded:WESL_UserSetting"
if ($Remove) {
    $shell.RemoveCustomShell($sid) | Out-Null
    Write-Output "Shell Launcher removed for $User."
    exit 0
}
# Actions: 0 restart the shell, 1 restart the PC, 2 shut down, 3 do nothing.
$restartShell = 0
$doNothing = 3
$shell.SetDefaultShell("explorer.exe", $restartShell) | Out-Null
try { $shell.RemoveCustomShell($sid) | Out-Null } catch { }
$shell.SetCustomShell($sid, "`"$Exe`" run", @(75), @($doNothing), $restartShell) | Out-Null
$shell.SetEnabled($true) | Out-Null
Write-Output "Shell Launcher: $User runs $Exe."

if (-not $NoKeyboardFilter) {
    $keys = "Ctrl+Alt+Del", "Alt+F4", "Alt+Tab", "Alt+Esc", "Ctrl+Esc", "Ctrl+Shift+Esc", "Win+L",
            "Windows", "Ctrl+Win+F", "Win+Tab", "Win+D", "Win+E", "Win+R", "Win+X"
    foreach ($key in $keys) {
        $setting = Get-CimInstance -Namespace root\standardcimv2\embedded `
            -ClassName WEKF_PredefinedKey | Where-Object { $_.Id -eq $key }
        if ($setting) {
            $setting.Enabled = $true
            Set-CimInstance -InputObject $setting
        }
    }
    # Administrators are not filtered, so IT can still sign in with Ctrl+Alt+Del.
    $filter = Get-CimInstance -Namespace root\standardcimv2\embedded -ClassName WEKF_Settings |
        Where-Object { $_.Name -eq "DisableKeyboardFilterForAdministrators" }
    if ($filter) { $filter.Value = "true"; Set-CimInstance -InputObject $filter }
    Write-Output "Keyboard Filter: $($keys.Count) key combinations blocked."
}

powercfg /change monitor-timeout-ac 0
powercfg /change standby-timeout-ac 0
Write-Output "Screen and sleep timeouts off. Set up automatic sign-in of $User (Sysinternals Autologon) and restart."
