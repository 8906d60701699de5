Unicode true

####
## Reseller Portal installer. Started from the project.nsi that `wails build -nsis`
## writes on its first run (Wails v2.9.2), then adapted:
##  - per-user: no administrator rights; the app goes to %LOCALAPPDATA%\Programs,
##    the Start-menu entry and the "Apps & features" entry to the user's own hive;
##  - the uninstaller KEEPS the portal database (%AppData%\ResellerPortal) unless
##    "Delete the portal database" is ticked on its components page, or
##    uninstall.exe /S /DELETEDATA is run;
##  - WebView2 is installed by Microsoft's bootstrapper when neither a machine-wide
##    nor a per-user runtime is found (Wails' macro misspells the per-user key);
##  - the uninstaller is signed while makensis writes it (!uninstfinalize) when
##    RP_SIGN names build/scripts/sign.sh; the Makefile signs the app beforehand
##    and the installer afterwards.
##
## `wails build -platform windows/amd64 -nsis` (make build-windows) writes
## wails_tools.nsh and tmp\MicrosoftEdgeWebview2Setup.exe next to this file (both
## generated, not committed) and runs makensis on it. build/scripts/release-windows.sh
## runs makensis again with the signed app and these defines:
##   RP_VERSION   the full version (0.1.0 or 0.1.0-dev.gabc1234), shown in the version info
##   RP_OUTFILE   where the installer goes
##   RP_SIGN      command that signs the file given as its last argument (optional)
####
!define REQUEST_EXECUTION_LEVEL "user"
!define UNINST_KEY_NAME "ResellerPortal"
!define PRODUCT_EXECUTABLE "reseller-portal.exe" # wails.json outputfilename

!include "wails_tools.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "Sections.nsh"

!ifndef RP_VERSION
    !define RP_VERSION "${INFO_PRODUCTVERSION}"
!endif
!ifndef RP_OUTFILE
    !define RP_OUTFILE "..\..\bin\reseller-portal-${ARCH}-installer.exe"
!endif
!define RP_DATADIR "$APPDATA\ResellerPortal"

# The version information for these two must consist of 4 numeric parts.
VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"

VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${RP_VERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

# Enable HiDPI support. https://nsis.sourceforge.io/Reference/ManifestDPIAware
ManifestDPIAware true

!include "MUI2.nsh"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_FINISHPAGE_NOAUTOCLOSE
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PRODUCT_EXECUTABLE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

!ifdef RP_SIGN
    !uninstfinalize '${RP_SIGN} "%1"'
!endif

Name "${INFO_PRODUCTNAME}"
OutFile "${RP_OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${INFO_PRODUCTNAME}"
InstallDirRegKey HKCU "Software\${INFO_COMPANYNAME}\${INFO_PRODUCTNAME}" "InstallDir"
ShowInstDetails show
ShowUninstDetails show

# WebView2: the runtime is installed machine-wide (Edge, Windows 11) or per
# user; the bootstrapper (a small download from Microsoft) runs only when
# neither is found.
!define WEBVIEW2_KEY "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!macro rp.webview2runtime
    SetRegView 64
    ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_KEY}" "pv"
    ${If} $0 == ""
    ${OrIf} $0 == "0.0.0.0"
        ReadRegStr $0 HKLM "SOFTWARE\${WEBVIEW2_KEY}" "pv"
    ${EndIf}
    ${If} $0 == ""
    ${OrIf} $0 == "0.0.0.0"
        ReadRegStr $0 HKCU "Software\${WEBVIEW2_KEY}" "pv"
    ${EndIf}
    ${If} $0 == ""
    ${OrIf} $0 == "0.0.0.0"
        SetDetailsPrint both
        DetailPrint "Installing: WebView2 Runtime"
        SetDetailsPrint listonly
        InitPluginsDir
        CreateDirectory "$pluginsdir\webview2bootstrapper"
        SetOutPath "$pluginsdir\webview2bootstrapper"
        File "tmp\MicrosoftEdgeWebview2Setup.exe"
        ExecWait '"$pluginsdir\webview2bootstrapper\MicrosoftEdgeWebview2Setup.exe" /silent /install'
        SetDetailsPrint both
    ${EndIf}
!macroend

Function .onInit
    !insertmacro wails.checkArchitecture
FunctionEnd

Section "!${INFO_PRODUCTNAME}" SEC_APP
    SectionIn RO
    SetShellVarContext current

    !insertmacro rp.webview2runtime

    SetOutPath $INSTDIR
    !insertmacro wails.files

    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"

    WriteUninstaller "$INSTDIR\uninstall.exe"
    WriteRegStr HKCU "Software\${INFO_COMPANYNAME}\${INFO_PRODUCTNAME}" "InstallDir" "$INSTDIR"
    WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${INFO_COMPANYNAME}"
    WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${INFO_PRODUCTNAME}"
    WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${RP_VERSION}"
    WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
    WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
    WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
    WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
    ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
    IntFmt $0 "0x%08X" $0
    WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section /o "Desktop shortcut" SEC_DESKTOP
    SetShellVarContext current
    CreateShortcut "$DESKTOP\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"
SectionEnd

Section "un.${INFO_PRODUCTNAME}" SEC_UNAPP
    SectionIn RO
    SetShellVarContext current

    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR"
    RMDir /r "$APPDATA\${PRODUCT_EXECUTABLE}" # the WebView2 data of the window (not the portal database)

    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"
    Delete "$DESKTOP\${INFO_PRODUCTNAME}.lnk"

    DeleteRegKey HKCU "${UNINST_KEY}"
    DeleteRegKey HKCU "Software\${INFO_COMPANYNAME}\${INFO_PRODUCTNAME}"
    DeleteRegKey /ifempty HKCU "Software\${INFO_COMPANYNAME}"
SectionEnd

# Off unless ticked, or /DELETEDATA on the uninstaller's command line.
Section /o "un.Delete the portal database (licenses, customers, audit log)" SEC_UNDATA
    SetShellVarContext current
    DetailPrint "Deleting ${RP_DATADIR}"
    RMDir /r "${RP_DATADIR}"
SectionEnd

LangString DESC_APP ${LANG_ENGLISH} "The ${INFO_PRODUCTNAME} app and its Start-menu entry (for this Windows user only)."
LangString DESC_DESKTOP ${LANG_ENGLISH} "A shortcut on the desktop."
LangString DESC_UNAPP ${LANG_ENGLISH} "Removes the app, its Start-menu entry and shortcuts. The portal database stays."
LangString DESC_UNDATA ${LANG_ENGLISH} "Also deletes ${RP_DATADIR}: the portal database with every license, customer, activation and the audit log. Make a backup first."

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
    !insertmacro MUI_DESCRIPTION_TEXT ${SEC_APP} $(DESC_APP)
    !insertmacro MUI_DESCRIPTION_TEXT ${SEC_DESKTOP} $(DESC_DESKTOP)
!insertmacro MUI_FUNCTION_DESCRIPTION_END

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
    !insertmacro MUI_DESCRIPTION_TEXT ${SEC_UNAPP} $(DESC_UNAPP)
    !insertmacro MUI_DESCRIPTION_TEXT ${SEC_UNDATA} $(DESC_UNDATA)
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END

Function un.onInit
    SetShellVarContext current
    ${GetParameters} $0
    ClearErrors
    ${GetOptions} $0 "/DELETEDATA" $1
    ${IfNot} ${Errors}
        !insertmacro SelectSection ${SEC_UNDATA}
    ${EndIf}
FunctionEnd
