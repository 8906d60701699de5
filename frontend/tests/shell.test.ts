// The shell's logic: the certificate banner's state, the document-in
// helpers (text vs QR image, size and empty checks), and the routes of the
// UI contract.
import { describe, expect, it } from 'vitest'
import { certState, DAY_MS } from '../src/stores/enrollment'
import { fromBytes, fromText, isImage, toDocParams } from '../src/composables/documents'
import { routes } from '../src/router'

const now = Date.parse('2026-12-01T12:00:00Z')
const at = (days: number) => new Date(now + days * DAY_MS).toISOString()

describe('certificate banner', () => {
  it('says nothing until the enrollment is known', () => {
    expect(certState(null, now).state).toBe('unknown')
  })
  it('asks to enroll a portal that is not enrolled', () => {
    expect(certState({ enrolled: false }, now).state).toBe('not_enrolled')
  })
  it('is quiet with more than 30 days left', () => {
    expect(certState({ enrolled: true, not_after: at(31) }, now)).toEqual({ state: 'ok', days: 31 })
  })
  it('warns within 30 days, with the days left', () => {
    expect(certState({ enrolled: true, not_after: at(29.5) }, now)).toEqual({ state: 'expiring', days: 29 })
    expect(certState({ enrolled: true, not_after: at(0.2) }, now)).toEqual({ state: 'expiring', days: 0 })
  })
  it('says expired once past not_after', () => {
    expect(certState({ enrolled: true, not_after: at(0) }, now).state).toBe('expired')
    expect(certState({ enrolled: true, not_after: at(-3) }, now).state).toBe('expired')
  })
})

describe('documents in', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2])
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1])
  const text = new TextEncoder().encode('-----BEGIN RESELLER CERTIFICATE-----\n')

  it('sends images as base64 and anything else as text', () => {
    expect(isImage(png)).toBe(true)
    expect(isImage(jpeg)).toBe(true)
    expect(isImage(text)).toBe(false)
    expect(toDocParams(png)).toEqual({ image: 'iVBORw0KGgoBAg==' })
    expect(toDocParams(text)).toEqual({ text: '-----BEGIN RESELLER CERTIFICATE-----\n' })
  })
  it('refuses an empty or too large file before sending it', () => {
    expect(fromBytes('a.txt', new Uint8Array(), 10)).toMatchObject({ ok: false, code: 'document_empty' })
    expect(fromBytes('a.txt', new Uint8Array(11), 10)).toMatchObject({ ok: false, code: 'file_too_large' })
    expect(fromBytes('a.txt', text, 1000)).toMatchObject({ ok: true, doc: { name: 'a.txt', bytes: text.length } })
  })
  it('refuses blank pasted text', () => {
    expect(fromText('  \n ')).toMatchObject({ ok: false, code: 'document_empty' })
    expect(fromText('ABC')).toMatchObject({ ok: true, doc: { params: { text: 'ABC' } } })
  })
})

describe('routes', () => {
  it('has every route of the UI contract built so far', () => {
    const paths = routes.map((r) => r.path)
    for (const p of ['/dashboard', '/enroll', '/licenses', '/licenses/:key', '/customers', '/customers/:id']) {
      expect(paths).toContain(p)
    }
  })
})
