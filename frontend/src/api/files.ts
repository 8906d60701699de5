// Opening and saving files: native dialogs in the desktop window (through
// the Bridge), the browser's file picker and download elsewhere. Content is
// bytes either way; it crosses the binding as base64.
import { OpenFile, SaveFile } from '../../wailsjs/go/desktop/Bridge'
import { asReply, failure, type Reply } from './transport'
import { inDesktop } from './wails'

export interface PickedFile {
  name: string
  content: Uint8Array
}

export interface FileFilter {
  name: string // e.g. "Activation requests"
  patterns: string[] // e.g. ["*.req", "*.txt"]
}

export function toBase64(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(bin)
}

export function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

interface Opened {
  name: string
  content: string
}

type BoundOpen = (title: string, filterName: string, pattern: string) => Promise<unknown>
type BoundSave = (title: string, defaultName: string, contentBase64: string) => Promise<unknown>

// DesktopFiles uses the Bridge's native dialogs. A cancelled dialog is ok
// with no data.
export class DesktopFiles {
  constructor(
    private readonly open: BoundOpen = OpenFile,
    private readonly save: BoundSave = SaveFile,
  ) {}

  async openFile(title: string, filter?: FileFilter): Promise<Reply<PickedFile | null>> {
    try {
      const r = asReply<Opened>(await this.open(title, filter?.name ?? '', filter?.patterns.join(';') ?? ''))
      if (!r.ok) return { ok: false, code: r.code, message: r.message }
      if (!r.data) return { ok: true, data: null }
      return { ok: true, data: { name: r.data.name, content: fromBase64(r.data.content ?? '') } }
    } catch (err) {
      return failure(err)
    }
  }

  async saveFile(title: string, defaultName: string, content: Uint8Array): Promise<Reply<{ path: string } | null>> {
    try {
      const r = asReply<{ path: string }>(await this.save(title, defaultName, toBase64(content)))
      if (!r.ok) return { ok: false, code: r.code, message: r.message }
      return { ok: true, data: r.data ?? null }
    } catch (err) {
      return failure(err)
    }
  }
}

// BrowserFiles uses a file input and a download link (serve mode).
export class BrowserFiles {
  openFile(_title: string, filter?: FileFilter): Promise<Reply<PickedFile | null>> {
    return new Promise((resolve) => {
      const input = document.createElement('input')
      input.type = 'file'
      if (filter) input.accept = filter.patterns.map((p) => p.replace(/^\*/, '')).join(',')
      input.addEventListener('change', async () => {
        const file = input.files?.[0]
        if (!file) return resolve({ ok: true, data: null })
        try {
          resolve({ ok: true, data: { name: file.name, content: new Uint8Array(await file.arrayBuffer()) } })
        } catch (err) {
          resolve({ ok: false, code: 'file_unreadable', message: String(err) })
        }
      })
      input.addEventListener('cancel', () => resolve({ ok: true, data: null }))
      input.click()
    })
  }

  async saveFile(_title: string, defaultName: string, content: Uint8Array): Promise<Reply<{ path: string } | null>> {
    const url = URL.createObjectURL(new Blob([content as BlobPart]))
    const a = document.createElement('a')
    a.href = url
    a.download = defaultName
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 10000)
    return { ok: true, data: { path: defaultName } }
  }
}

export type Files = DesktopFiles | BrowserFiles

let current: Files | null = null

// files returns the file host for this window, chosen on first use.
export function files(): Files {
  if (current === null) current = inDesktop() ? new DesktopFiles() : new BrowserFiles()
  return current
}

// setFiles replaces the file host (tests; null re-detects).
export function setFiles(f: Files | null): void {
  current = f
}
