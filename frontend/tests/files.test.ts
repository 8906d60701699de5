import { describe, expect, it } from 'vitest'
import { DesktopFiles, fromBase64, toBase64 } from '../src/api'

describe('base64', () => {
  it('round-trips every byte value and large content', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(fromBase64(toBase64(all))).toEqual(all)
    const big = new Uint8Array(200_000).map((_, i) => (i * 7) & 0xff)
    expect(fromBase64(toBase64(big))).toEqual(big)
    expect(toBase64(new TextEncoder().encode('hello'))).toBe('aGVsbG8=')
  })
})

describe('DesktopFiles', () => {
  it('opens through the bound dialog and decodes the content', async () => {
    const asked: string[][] = []
    const f = new DesktopFiles(
      async (title, name, pattern) => {
        asked.push([title, name, pattern])
        return { ok: true, data: { name: 'req.txt', path: '/x/req.txt', size: 2, content: 'AP8=' } }
      },
      async () => ({ ok: true }),
    )
    const r = await f.openFile('Open request', { name: 'Requests', patterns: ['*.req', '*.txt'] })
    expect(r).toEqual({ ok: true, data: { name: 'req.txt', content: new Uint8Array([0, 255]) } })
    expect(asked).toEqual([['Open request', 'Requests', '*.req;*.txt']])
  })

  it('reports a cancelled dialog as no data and passes coded failures through', async () => {
    let answer: unknown = { ok: true }
    const f = new DesktopFiles(async () => answer, async () => answer)
    expect(await f.openFile('t')).toEqual({ ok: true, data: null })
    expect(await f.saveFile('t', 'a.txt', new Uint8Array([1]))).toEqual({ ok: true, data: null })
    answer = { ok: false, code: 'file_too_large', message: 'big.png is over 16 MiB' }
    expect(await f.openFile('t')).toEqual(answer)
    expect(await f.saveFile('t', 'a.txt', new Uint8Array([1]))).toEqual(answer)
  })

  it('saves the content as base64 through the bound dialog', async () => {
    const sent: string[][] = []
    const f = new DesktopFiles(
      async () => ({ ok: true }),
      async (title, name, b64) => {
        sent.push([title, name, b64])
        return { ok: true, data: { path: '/home/a/resp.txt' } }
      },
    )
    const r = await f.saveFile('Save response', 'resp.txt', new TextEncoder().encode('hello'))
    expect(r).toEqual({ ok: true, data: { path: '/home/a/resp.txt' } })
    expect(sent).toEqual([['Save response', 'resp.txt', 'aGVsbG8=']])
  })

  it('turns a rejected binding call into transport_error', async () => {
    const f = new DesktopFiles(
      async () => {
        throw new Error('gone')
      },
      async () => {
        throw new Error('gone')
      },
    )
    expect(await f.openFile('t')).toEqual({ ok: false, code: 'transport_error', message: 'gone' })
    expect(await f.saveFile('t', 'n', new Uint8Array())).toEqual({ ok: false, code: 'transport_error', message: 'gone' })
  })
})
