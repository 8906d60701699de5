// The batch screen's logic, free of Vue and of the backend: which picked
// files go in, how they are cut into activation.batch {files} calls, how far
// a run has come, and what comes out (the zip of responses, the CSV).
import { strToU8, zipSync } from 'fflate'
import type { BatchFile, BatchItem, BatchResult } from '../api/types'

// Limits of activation.batch {files} (docs/api.md, "Batch over carried files").
export const MAX_TEXT_BYTES = 2 << 20 // a request as text
export const MAX_IMAGE_BYTES = 8 << 20 // a PNG/JPEG of its QR code
export const MAX_NAME_BYTES = 255
export const MAX_FILES_PER_CALL = 1000
// One call carries at most CHUNK_FILES files and about CHUNK_BYTES of JSON
// (the server takes 64 MiB): the bar moves after each call, and Cancel
// takes effect between calls.
export const CHUNK_FILES = 50
export const CHUNK_BYTES = 24 << 20

export const RESPONSE_SUFFIX = '.response.txt'

// A file as picked (input, drop): enough to choose and plan before reading.
export interface Candidate {
  name: string // the base name
  path?: string // webkitRelativePath, when a folder was picked ("usb/a/m1.req")
  size: number
  type?: string
}

// skipReason says why a picked file is left out, as the folder form does
// (hidden files, responses), or "" to take it. In a picked folder only its
// own files count: hidden folders and subfolders are left out too.
export function skipReason(c: Candidate): '' | 'hidden' | 'response' | 'subfolder' {
  const parts = (c.path || c.name).split('/').filter((p) => p !== '')
  if (parts.some((p) => p.startsWith('.')) || c.name.startsWith('.')) return 'hidden'
  if (c.name.endsWith(RESPONSE_SUFFIX)) return 'response'
  if (c.path && parts.length > 2) return 'subfolder'
  return ''
}

export function isImageName(name: string): boolean {
  return /\.(png|jpe?g)$/i.test(name)
}

export function isImageBytes(b: Uint8Array): boolean {
  const png = b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47
  const jpeg = b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff
  return png || jpeg
}

// tooLarge tells whether a file is over its limit (by its name's kind: the
// bytes are not read yet).
export function tooLarge(c: Candidate): boolean {
  return c.size > (isImageName(c.name) ? MAX_IMAGE_BYTES : MAX_TEXT_BYTES)
}

// wireSize estimates a file's share of the JSON body: base64 for an image,
// the text with room for its escapes.
export function wireSize(c: Candidate): number {
  const body = isImageName(c.name) ? Math.ceil(c.size / 3) * 4 : c.size * 2
  return body + c.name.length * 2 + 32
}

// planChunks cuts n files (of the given wire sizes) into consecutive calls
// of at most maxFiles files and about maxBytes each (a single larger file
// still gets a call of its own).
export function planChunks(sizes: number[], maxFiles = CHUNK_FILES, maxBytes = CHUNK_BYTES): number[][] {
  const chunks: number[][] = []
  let cur: number[] = []
  let bytes = 0
  sizes.forEach((s, i) => {
    if (cur.length > 0 && (cur.length >= maxFiles || bytes + s > maxBytes)) {
      chunks.push(cur)
      cur = []
      bytes = 0
    }
    cur.push(i)
    bytes += s
  })
  if (cur.length > 0) chunks.push(cur)
  return chunks
}

// toBatchFile turns a file's bytes into what activation.batch carries: a
// PNG/JPEG (by its bytes) as base64 image, anything else as text.
export function toBatchFile(name: string, bytes: Uint8Array, base64: (b: Uint8Array) => string): BatchFile {
  if (isImageBytes(bytes)) return { name, image: base64(bytes) }
  return { name, text: new TextDecoder().decode(bytes) }
}

// localFailure is the item of a file refused before it is sent.
export function localFailure(name: string, code: string): BatchItem {
  return { file: name, kind: '', ok: false, code, message: '' }
}

export interface Progress {
  done: number
  total: number
}

// percent of a run, 0-100, whole numbers (0 when nothing is known yet).
export function percent(p: Progress): number {
  if (p.total <= 0) return 0
  return Math.min(100, Math.floor((p.done * 100) / p.total))
}

export function emptyResult(): BatchResult {
  return { items: [], activated: 0, deactivated: 0, failed: 0 }
}

// addResult appends one call's result (or locally refused items) to acc.
export function addResult(acc: BatchResult, r: BatchResult): BatchResult {
  return {
    items: [...acc.items, ...r.items],
    activated: acc.activated + r.activated,
    deactivated: acc.deactivated + r.deactivated,
    failed: acc.failed + r.failed,
  }
}

export type ChunkOutcome = { ok: true; result: BatchResult } | { ok: false; code: string; message: string }

export interface RunOptions {
  chunks: number // how many calls
  files: number[] // files in each call
  send: (i: number) => Promise<ChunkOutcome>
  progress: (p: Progress) => void
  cancelled: () => boolean
}

export interface RunOutcome {
  result: BatchResult
  done: number // files processed by the calls that ran
  cancelled: boolean
  problem: { code: string; message: string } | null // a call that failed as a whole stops the run
}

// runChunks sends the calls one after another, reporting progress after
// each, and stops between calls when cancelled (what ran stays processed)
// or when a call fails as a whole.
export async function runChunks(o: RunOptions): Promise<RunOutcome> {
  const total = o.files.reduce((a, b) => a + b, 0)
  let result = emptyResult()
  let done = 0
  o.progress({ done, total })
  for (let i = 0; i < o.chunks; i++) {
    if (o.cancelled()) return { result, done, cancelled: true, problem: null }
    const r = await o.send(i)
    if (!r.ok) return { result, done, cancelled: false, problem: { code: r.code, message: r.message } }
    result = addResult(result, r.result)
    done += o.files[i]
    o.progress({ done, total })
  }
  return { result, done, cancelled: false, problem: null }
}

// responseName is the response's file name for a request file, as the
// folder form writes it: "m1.req" -> "m1.response.txt".
export function responseName(file: string): string {
  const base = file.replace(/^.*\//, '')
  const dot = base.lastIndexOf('.')
  return (dot > 0 ? base.slice(0, dot) : base) + RESPONSE_SUFFIX
}

// zipEntries names the response of every applied activation; a name taken
// already (m1.req and m1.png) gets " (2)", " (3)", … before the suffix.
export function zipEntries(items: BatchItem[]): { name: string; text: string }[] {
  const used = new Set<string>()
  const out: { name: string; text: string }[] = []
  for (const it of items) {
    if (!it.ok || it.kind !== 'activation' || !it.response_text) continue
    let name = responseName(it.file)
    for (let n = 2; used.has(name); n++) name = responseName(it.file).replace(RESPONSE_SUFFIX, ` (${n})${RESPONSE_SUFFIX}`)
    used.add(name)
    out.push({ name, text: it.response_text })
  }
  return out
}

// buildZip packs the responses into one zip (null when there are none).
export function buildZip(items: BatchItem[], mtime = new Date()): Uint8Array | null {
  const entries = zipEntries(items)
  if (entries.length === 0) return null
  const files: Record<string, [Uint8Array, { mtime: Date }]> = {}
  for (const e of entries) files[e.name] = [strToU8(e.text), { mtime }]
  return zipSync(files, { level: 6 })
}

const pad = (n: number) => String(n).padStart(2, '0')

// stamp is local YYYYMMDD-HHMM.
export function stamp(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}`
}

export const zipName = (d: Date) => `responses-${stamp(d)}.zip`
export const csvName = (d: Date) => `batch-${stamp(d)}.csv`

// csvCell quotes a value for CSV and keeps a spreadsheet from reading a
// file name as a formula.
export function csvCell(v: string): string {
  const s = /^[=+\-@\t\r＝＋－＠]/.test(v) ? `'${v}` : v
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export interface CsvWords {
  header: string[] // file, kind, result, reason, activation, response, license, product, customer, customer_name
  kind: (k: BatchItem['kind']) => string
  result: (it: BatchItem) => string
  reason: (it: BatchItem) => string
}

// toCsv writes the results table as CSV (CRLF line ends, RFC 4180).
export function toCsv(items: BatchItem[], w: CsvWords): string {
  const rows = [w.header]
  for (const it of items)
    rows.push([
      it.file,
      w.kind(it.kind),
      w.result(it),
      it.ok ? '' : w.reason(it),
      it.activation ?? '',
      it.response ?? '',
      it.license ?? '',
      it.product ?? '',
      it.customer ?? '',
      it.customer_name ?? '',
    ])
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
