// src/api is the UI's only door to the backend: stores import from here,
// components never do, and only wails.ts touches the generated bindings.
export type { Reply, Transport } from './transport'
export { TRANSPORT_ERROR, BAD_REPLY } from './transport'
export { transport, setTransport } from './client'
export { portal } from './portal'
export type { SetupParams, SignInParams } from './portal'
export { call, onReply, OP_FIELDS } from './ops'
export type { Ops, OpName, ParamsOf, DataOf } from './ops'
export type * from './types'
export { files, setFiles, DesktopFiles, BrowserFiles, toBase64, fromBase64 } from './files'
export type { PickedFile, FileFilter, Files } from './files'
