// src/api is the UI's only door to the backend: stores import from here,
// components never do, and only wails.ts touches the generated bindings.
export type { Reply, Transport } from './transport'
export { TRANSPORT_ERROR, BAD_REPLY } from './transport'
export { transport, setTransport } from './client'
export { portal } from './portal'
export type { Status, SetupParams, SignInParams } from './portal'
export { files, setFiles, DesktopFiles, BrowserFiles, toBase64, fromBase64 } from './files'
export type { PickedFile, FileFilter } from './files'
