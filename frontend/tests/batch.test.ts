import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { unzipSync, strFromU8 } from 'fflate'
import { setTransport, type BatchFile, type BatchItem, type BatchResult } from '../src/api'
import { onBatchProgress, pickFolder } from '../src/api/folders'
import {
  CHUNK_FILES,
  MAX_IMAGE_BYTES,
  MAX_TEXT_BYTES,
  buildZip,
  csvCell,
  percent,
  planChunks,
  responseName,
  runChunks,
  skipReason,
  toBatchFile,
  toCsv,
  tooLarge,
  wireSize,
  zipEntries,
  zipName,
  type ChunkOutcome,
} from '../src/composables/batch'
import { useBatchStore, type PickedBlob } from '../src/stores/batch'
import { FakeTransport } from './fake'

const ok = (result: Partial<BatchResult> = {}): ChunkOutcome => ({
  ok: true,
  result: { items: [], activated: 0, deactivated: 0, failed: 0, ...result },
})

describe('which picked files go in', () => {
  it.each([
    [{ name: 'm1.req', size: 10 }, ''],
    [{ name: 'm1.png', size: 10, path: 'usb/m1.png' }, ''],
    [{ name: '.DS_Store', size: 10 }, 'hidden'],
    [{ name: 'm1.req', size: 10, path: 'usb/.Trash/m1.req' }, 'hidden'],
    [{ name: 'm1.response.txt', size: 10 }, 'response'],
    [{ name: 'm1.req', size: 10, path: 'usb/old/m1.req' }, 'subfolder'],
  ])('%j → %j', (c, want) => expect(skipReason(c)).toBe(want))

  it('respects the per-file limits of docs/api.md', () => {
    expect(tooLarge({ name: 'a.req', size: MAX_TEXT_BYTES })).toBe(false)
    expect(tooLarge({ name: 'a.req', size: MAX_TEXT_BYTES + 1 })).toBe(true)
    expect(tooLarge({ name: 'a.PNG', size: MAX_TEXT_BYTES + 1 })).toBe(false)
    expect(tooLarge({ name: 'a.jpeg', size: MAX_IMAGE_BYTES + 1 })).toBe(true)
  })

  it('sends an image by its bytes as base64, anything else as text', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const b64 = (b: Uint8Array) => `B64:${b.length}`
    expect(toBatchFile('qr.png', png, b64)).toEqual({ name: 'qr.png', image: 'B64:8' })
    expect(toBatchFile('m.req', new TextEncoder().encode('RPA1.abc'), b64)).toEqual({ name: 'm.req', text: 'RPA1.abc' })
  })
})

describe('chunking', () => {
  it('cuts by count', () => {
    const chunks = planChunks(new Array(120).fill(100))
    expect(chunks.map((c) => c.length)).toEqual([CHUNK_FILES, CHUNK_FILES, 20])
    expect(chunks.flat()).toEqual([...Array(120).keys()])
  })

  it('cuts by size, and a large file gets a call of its own', () => {
    expect(planChunks([10, 10, 10, 10], 50, 25)).toEqual([[0, 1], [2, 3]])
    expect(planChunks([5, 100, 5], 50, 25)).toEqual([[0], [1], [2]])
    expect(planChunks([])).toEqual([])
  })

  it('keeps a chunk of the largest images under the server limit', () => {
    const big = wireSize({ name: 'x.png', size: MAX_IMAGE_BYTES })
    const chunks = planChunks(new Array(10).fill(big))
    for (const c of chunks) expect(c.length * big).toBeLessThan(64 << 20)
  })
})

describe('progress and cancel', () => {
  it('reports after each chunk and sums the results', async () => {
    const seen: string[] = []
    const out = await runChunks({
      chunks: 3,
      files: [50, 50, 7],
      send: async (i) => ok({ activated: i + 1, items: [{ file: `f${i}`, kind: 'activation', ok: true }] }),
      progress: (p) => seen.push(`${p.done}/${p.total} ${percent(p)}%`),
      cancelled: () => false,
    })
    expect(seen).toEqual(['0/107 0%', '50/107 46%', '100/107 93%', '107/107 100%'])
    expect(out.result.activated).toBe(6)
    expect(out.result.items.map((i) => i.file)).toEqual(['f0', 'f1', 'f2'])
    expect(out.cancelled).toBe(false)
  })

  it('stops between chunks when cancelled; what ran stays', async () => {
    let cancel = false
    const sent: number[] = []
    const out = await runChunks({
      chunks: 4,
      files: [50, 50, 50, 50],
      send: async (i) => {
        sent.push(i)
        if (i === 1) cancel = true // the user presses Cancel during the second call
        return ok({ activated: 50 })
      },
      progress: () => {},
      cancelled: () => cancel,
    })
    expect(sent).toEqual([0, 1])
    expect(out).toMatchObject({ cancelled: true, done: 100, problem: null })
    expect(out.result.activated).toBe(100)
  })

  it('stops when a call fails as a whole', async () => {
    const out = await runChunks({
      chunks: 3,
      files: [50, 50, 50],
      send: async (i) => (i === 1 ? { ok: false, code: 'not_signed_in', message: 'x' } : ok({ activated: 50 })),
      progress: () => {},
      cancelled: () => false,
    })
    expect(out).toMatchObject({ cancelled: false, done: 50, problem: { code: 'not_signed_in' } })
  })

  it('says 0% before the total is known', () => {
    expect(percent({ done: 0, total: 0 })).toBe(0)
    expect(percent({ done: 1000, total: 1000 })).toBe(100)
  })
})

describe('what comes out', () => {
  const items: BatchItem[] = [
    { file: 'm1.req', kind: 'activation', ok: true, activation: 'A1', response_text: 'R1', license: 'AAAA-BBBB', product: 'cad-pro', customer: 'u1', customer_name: 'Ada, Countess "of" Lovelace' },
    { file: 'm1.png', kind: 'activation', ok: true, activation: 'A2', response_text: 'R2' },
    { file: 'noext', kind: 'activation', ok: true, repeat: true, activation: 'A3', response_text: 'R3' },
    { file: 'gone.req', kind: 'deactivation', ok: true, activation: 'A4', license: 'CCCC-DDDD', product: 'cad-pro', customer: 'o2', customer_name: 'Engines Ltd' },
    { file: '=cmd|calc.txt', kind: '', ok: false, code: 'document_malformed', message: 'This is not a document' },
    { file: 'full.req', kind: 'activation', ok: false, code: 'license_over_limit', message: 'm', license: 'EEEE-FFFF', product: 'cad-pro', customer: 'u3', customer_name: '=HYPERLINK("x")' },
  ]

  it('names responses as the folder form does', () => {
    expect(responseName('m1.req')).toBe('m1.response.txt')
    expect(responseName('a.b.txt')).toBe('a.b.response.txt')
    expect(responseName('noext')).toBe('noext.response.txt')
    expect(zipEntries(items).map((e) => e.name)).toEqual(['m1.response.txt', 'm1 (2).response.txt', 'noext.response.txt'])
  })

  it('zips every applied activation response, and nothing else', () => {
    const zip = buildZip(items)!
    const files = unzipSync(zip)
    expect(Object.keys(files).sort()).toEqual(['m1 (2).response.txt', 'm1.response.txt', 'noext.response.txt'])
    expect(strFromU8(files['m1.response.txt'])).toBe('R1')
    expect(buildZip(items.slice(3))).toBeNull()
  })

  it('names the zip by local time', () => {
    expect(zipName(new Date(2026, 0, 5, 9, 7))).toBe('responses-20260105-0907.zip')
  })

  it('writes the results as CSV, formulas defused', () => {
    const csv = toCsv(items, {
      header: ['file', 'kind', 'result', 'reason', 'activation', 'response', 'license', 'product', 'customer', 'customer_name'],
      kind: (k) => k || 'unreadable',
      result: (it) => (it.ok ? 'ok' : 'failed'),
      reason: (it) => `reason of ${it.code}`,
    })
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe('file,kind,result,reason,activation,response,license,product,customer,customer_name')
    expect(lines[1]).toBe('m1.req,activation,ok,,A1,,AAAA-BBBB,cad-pro,u1,"Ada, Countess ""of"" Lovelace"')
    expect(lines[2]).toBe('m1.png,activation,ok,,A2,,,,,')
    expect(lines[4]).toBe('gone.req,deactivation,ok,,A4,,CCCC-DDDD,cad-pro,o2,Engines Ltd')
    expect(lines[5]).toBe("'=cmd|calc.txt,unreadable,failed,reason of document_malformed,,,,,,")
    // a refusal of a known license names it too; a name is no formula
    expect(lines[6]).toBe('full.req,activation,failed,reason of license_over_limit,,,EEEE-FFFF,cad-pro,u3,"\'=HYPERLINK(""x"")"')
    expect(lines).toHaveLength(8) // header, 6 rows, final CRLF
    expect(csvCell('a,"b"')).toBe('"a,""b"""')
    expect(csvCell('＝1+1')).toBe("'＝1+1")
  })
})

describe('window bindings (src/api/folders)', () => {
  it('picks a folder; a cancelled dialog is no folder', async () => {
    expect(await pickFolder('t', async () => ({ ok: true, data: { path: '/media/usb' } }))).toEqual({ ok: true, data: { path: '/media/usb' } })
    expect(await pickFolder('t', async () => ({ ok: true }))).toEqual({ ok: true, data: null })
    expect((await pickFolder('t', async () => ({ ok: false, code: 'window_not_ready', message: '' }))).code).toBe('window_not_ready')
  })

  it('subscribes to batch:progress and undoes it', () => {
    const subs = new Map<string, (...d: unknown[]) => void>()
    const on = (ev: string, cb: (...d: unknown[]) => void) => {
      subs.set(ev, cb)
      return () => subs.delete(ev)
    }
    const seen: string[] = []
    const off = onBatchProgress((d, t) => seen.push(`${d}/${t}`), on)
    subs.get('batch:progress')!(250, 1000)
    subs.get('batch:progress')!('x', 1) // not numbers: ignored
    off()
    expect(seen).toEqual(['250/1000'])
    expect(subs.size).toBe(0)
  })
})

describe('the batch store over carried files', () => {
  let fake: FakeTransport
  beforeEach(() => {
    setActivePinia(createPinia())
    fake = new FakeTransport()
    fake.on('activation.batch', (p) => {
      const files = (p as { files: BatchFile[] }).files
      const items: BatchItem[] = files.map((f) =>
        f.text?.startsWith('bad')
          ? { file: f.name, kind: '', ok: false, code: 'document_malformed', message: 'm' }
          : { file: f.name, kind: 'activation', ok: true, activation: 'A1', response_text: `R:${f.name}` },
      )
      const failed = items.filter((i) => !i.ok).length
      return { ok: true, data: { items, activated: items.length - failed, deactivated: 0, failed } }
    })
    setTransport(fake)
  })
  afterEach(() => setTransport(null))

  const blob = (name: string, text: string, path = '', size?: number): PickedBlob => ({
    name,
    size: size ?? text.length,
    webkitRelativePath: path,
    arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
  })

  it('skips, refuses oversized files locally, chunks, and zips the responses', async () => {
    const picked = [
      ...Array.from({ length: 120 }, (_, i) => blob(`m${i}.req`, 'RPA1.x', `usb/m${i}.req`)),
      blob('m0.response.txt', 'old', 'usb/m0.response.txt'),
      blob('.hidden', 'x', 'usb/.hidden'),
      blob('bad.txt', 'bad text', 'usb/bad.txt'),
      blob('huge.req', 'x', 'usb/huge.req', MAX_TEXT_BYTES + 1),
    ]
    const store = useBatchStore()
    await store.runFiles(picked, 'usb')
    const calls = fake.calls.filter((c) => c.op === 'activation.batch')
    expect(calls.map((c) => (c.params as { files: BatchFile[] }).files.length)).toEqual([50, 50, 21])
    expect(store.skipped).toBe(2)
    expect(store.result).toMatchObject({ activated: 120, failed: 2 })
    expect(store.result.items[0]).toMatchObject({ file: 'huge.req', code: 'file_too_large' })
    expect(store.progress).toEqual({ done: 122, total: 122 })
    expect(store.phase).toBe('done')
    expect(Object.keys(unzipSync(store.zip!))).toHaveLength(120)
  })

  it('cancels between chunks', async () => {
    const store = useBatchStore()
    const picked = Array.from({ length: 200 }, (_, i) => blob(`m${i}.req`, 'RPA1.x'))
    const run = store.runFiles(picked, '200 files')
    store.cancel()
    await run
    expect(store.cancelled).toBe(true)
    expect(fake.calls.length).toBeLessThan(4)
    expect(store.result.activated).toBe(fake.calls.length * 50)
  })
})
