// Taking a signed document in and giving one out — one home for each, used
// by enrollment, bundle import, activation, deactivation and restore.
//
// In: a file (open dialog, or dropped on the page/window), pasted text, or an
// image of its QR code → DocParams the backend reads ({text} or {image}).
// Out: a save dialog in the window, a download in the browser.
import { files, toBase64, type DocParams, type FileFilter, type Reply } from '../api'

// MAX_DOCUMENT_BYTES bounds a file read in (the largest allocation bundle,
// 100,000 licenses, is about 17 MB armored).
export const MAX_DOCUMENT_BYTES = 32 << 20

export function isImage(bytes: Uint8Array): boolean {
  const png = bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47
  const jpeg = bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
  return png || jpeg
}

// toDocParams turns a file's bytes into the document params: an image of a
// QR code travels as base64 (the backend decodes it), anything else as text.
export function toDocParams(bytes: Uint8Array): DocParams {
  if (isImage(bytes)) return { image: toBase64(bytes) }
  return { text: new TextDecoder().decode(bytes) }
}

export interface DocumentIn {
  name: string
  params: DocParams
  bytes: number
}

export type InResult = { ok: true; doc: DocumentIn | null } | { ok: false; code: string; message: string }

// fromBytes checks the size and builds the document.
export function fromBytes(name: string, bytes: Uint8Array, max = MAX_DOCUMENT_BYTES): InResult {
  if (bytes.length > max) return { ok: false, code: 'file_too_large', message: `${name}: ${bytes.length} bytes` }
  if (bytes.length === 0) return { ok: false, code: 'document_empty', message: name }
  return { ok: true, doc: { name, params: toDocParams(bytes), bytes: bytes.length } }
}

// fromText builds the document from pasted text.
export function fromText(text: string): InResult {
  if (text.trim() === '') return { ok: false, code: 'document_empty', message: '' }
  return { ok: true, doc: { name: '', params: { text }, bytes: text.length } }
}

// openDocument shows the open dialog (native in the window, a file input in
// the browser); a cancelled dialog is ok with no document.
export async function openDocument(title: string, filter?: FileFilter, max = MAX_DOCUMENT_BYTES): Promise<InResult> {
  const r = await files().openFile(title, filter)
  if (!r.ok) return { ok: false, code: r.code ?? 'file_unreadable', message: r.message ?? '' }
  if (!r.data) return { ok: true, doc: null }
  return fromBytes(r.data.name, r.data.content, max)
}

// readDropped reads the first file of a drop (HTML drag and drop, in the
// browser and in the webview alike).
export async function readDropped(dt: DataTransfer | null, max = MAX_DOCUMENT_BYTES): Promise<InResult> {
  const file = dt?.files?.[0]
  if (!file) return { ok: true, doc: null }
  if (file.size > max) return { ok: false, code: 'file_too_large', message: `${file.name}: ${file.size} bytes` }
  try {
    return fromBytes(file.name, new Uint8Array(await file.arrayBuffer()), max)
  } catch (err) {
    return { ok: false, code: 'file_unreadable', message: String(err) }
  }
}

// saveDocument saves text under a suggested name: save dialog or download.
// A cancelled dialog is ok with no path.
export async function saveDocument(title: string, name: string, text: string): Promise<Reply<{ path: string } | null>> {
  return files().saveFile(title, name, new TextEncoder().encode(text))
}

// saveBytes saves binary content (a PNG, a CSV) the same way.
export async function saveBytes(title: string, name: string, content: Uint8Array): Promise<Reply<{ path: string } | null>> {
  return files().saveFile(title, name, content)
}

// copyText puts text on the clipboard (the Clipboard API where allowed, else
// a hidden textarea and execCommand, which WebKitGTK still honours).
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    const ta = document.createElement('textarea')
    ta.value = text
    ta.setAttribute('readonly', '')
    ta.style.position = 'fixed'
    ta.style.opacity = '0'
    document.body.appendChild(ta)
    ta.select()
    const ok = document.execCommand('copy')
    ta.remove()
    return ok
  }
}
