import { afterEach, describe, expect, it } from 'vitest'
import { HttpTransport } from '../src/api/http'
import { WailsTransport, inDesktop } from '../src/api/wails'
import { setTransport, transport } from '../src/api'

interface Sent {
  url: string
  init: RequestInit
}

function fetchReturning(body: string, status = 200, sent: Sent[] = []) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    sent.push({ url, init })
    return new Response(body, { status, headers: { 'Content-Type': 'application/json' } })
  }
}

describe('HttpTransport', () => {
  it('posts the params as JSON to /api/call/<op> with the same-origin cookie', async () => {
    const sent: Sent[] = []
    const t = new HttpTransport(fetchReturning('{"ok":true,"data":{"initialized":false}}', 200, sent))
    const r = await t.call('signin', { admin: 'alice', password: 'pw' })
    expect(r).toEqual({ ok: true, data: { initialized: false } })
    expect(sent).toHaveLength(1)
    expect(sent[0].url).toBe('/api/call/signin')
    expect(sent[0].init.method).toBe('POST')
    expect(sent[0].init.credentials).toBe('same-origin')
    expect(JSON.parse(String(sent[0].init.body))).toEqual({ admin: 'alice', password: 'pw' })
  })

  it('sends an empty object when there are no params and escapes the op', async () => {
    const sent: Sent[] = []
    const t = new HttpTransport(fetchReturning('{"ok":true}', 200, sent), 'http://h')
    await t.call('a/b')
    expect(sent[0].url).toBe('http://h/api/call/a%2Fb')
    expect(sent[0].init.body).toBe('{}')
  })

  it('passes a coded failure through even on an HTTP error status', async () => {
    const t = new HttpTransport(fetchReturning('{"ok":false,"code":"wrong_password","message":"wrong password"}', 401))
    expect(await t.call('signin', {})).toEqual({ ok: false, code: 'wrong_password', message: 'wrong password' })
  })

  it('turns a network failure into transport_error', async () => {
    const t = new HttpTransport(async () => {
      throw new TypeError('Failed to fetch')
    })
    expect(await t.call('status')).toEqual({ ok: false, code: 'transport_error', message: 'Failed to fetch' })
  })

  it('turns a body that is not JSON into transport_error', async () => {
    const r = await new HttpTransport(fetchReturning('<html>oops</html>', 502)).call('status')
    expect(r.ok).toBe(false)
    expect(r.code).toBe('transport_error')
    expect(r.message).toContain('502')
  })

  it('refuses JSON that is not a reply', async () => {
    for (const body of ['null', '[]', '{"data":1}', '"ok"', '{"ok":"yes"}']) {
      const r = await new HttpTransport(fetchReturning(body)).call('status')
      expect(r, body).toMatchObject({ ok: false, code: 'bad_reply' })
    }
  })
})

describe('WailsTransport', () => {
  it('hands the op and the params as one JSON string to the bound Call', async () => {
    const got: [string, string][] = []
    const t = new WailsTransport(async (op, params) => {
      got.push([op, params])
      return { ok: true, data: 7 }
    })
    expect(await t.call('setup', { reseller: 'R', admin: 'a', password: 'p' })).toEqual({ ok: true, data: 7 })
    expect(await t.call('status')).toEqual({ ok: true, data: 7 })
    expect(got).toEqual([
      ['setup', '{"reseller":"R","admin":"a","password":"p"}'],
      ['status', '{}'],
    ])
  })

  it('turns a rejected binding call into transport_error', async () => {
    const t = new WailsTransport(async () => {
      throw 'Go panicked'
    })
    expect(await t.call('status')).toEqual({ ok: false, code: 'transport_error', message: 'Go panicked' })
  })

  it('refuses an answer that is not a reply', async () => {
    const t = new WailsTransport(async () => undefined)
    expect(await t.call('status')).toMatchObject({ ok: false, code: 'bad_reply' })
  })
})

describe('transport selection', () => {
  afterEach(() => setTransport(null))

  it('detects the Wails window by its bound Bridge', () => {
    expect(inDesktop({})).toBe(false)
    expect(inDesktop({ go: {} })).toBe(false)
    expect(inDesktop({ go: { desktop: { Bridge: { Call() {} } } } })).toBe(true)
  })

  it('uses HTTP outside the desktop window, and a replacement when set', () => {
    expect(transport().kind).toBe('http')
    const fake = new WailsTransport(async () => ({ ok: true }))
    setTransport(fake)
    expect(transport()).toBe(fake)
  })
})
