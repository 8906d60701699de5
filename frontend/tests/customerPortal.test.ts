// The customer portal's activation rules: which button a preview offers, a
// request's state as a tag, an approved request as the response out (file
// HOSTNAME-LICENSE.response.txt), and the params the store sends.
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setTransport, type CustomerRequest } from '../src/api'
import { hasMore, requestLink, responseOf, stateTag, submitKind, useCustomerPortalStore } from '../src/stores/customerPortal'
import { responseFileName } from '../src/stores/activation'
import { makeI18n } from '../src/i18n'
import { routes } from '../src/router'
import { FakeTransport } from './fake'

const req = (over: Partial<CustomerRequest> = {}): CustomerRequest => ({
  id: 'R7',
  state: 'approved',
  mode: 'approval',
  license: 'CAD-1111-2222',
  product: 'cad-pro',
  machine: 'f'.repeat(64),
  hostname: 'ws-01',
  os: 'linux',
  app_version: '1.0',
  customer: 'u3',
  customer_name: 'Ada Lovelace',
  created: '2026-12-01T10:00:00Z',
  decided: '2026-12-01T10:05:00Z',
  activation: 'A4',
  repeat: false,
  response: { armored: '-----BEGIN-----', compact: 'RP1:abc' },
  qr_png: 'iVBOR',
  ...over,
})

describe('the preview button', () => {
  it('gets the response at once when the portal signs now', () => {
    expect(submitKind({ ok: true, mode: 'immediate', sign_now: true })).toBe('sign')
  })
  it('sends for approval in approval mode', () => {
    expect(submitKind({ ok: true, mode: 'approval', sign_now: false })).toBe('send')
  })
  it('offers nothing while immediate signing is locked', () => {
    expect(submitKind({ ok: true, mode: 'immediate', sign_now: false })).toBe('locked')
  })
  it('offers nothing for a refused preview or none', () => {
    expect(submitKind({ ok: false, mode: 'immediate', sign_now: true })).toBe('none')
    expect(submitKind({ ok: false, mode: 'approval', sign_now: false })).toBe('none')
    expect(submitKind(null)).toBe('none')
  })
})

describe('request states', () => {
  it('maps each state to a tag with an English and a German word', () => {
    const en = makeI18n('en').global
    const de = makeI18n('de').global
    const words = (['pending', 'approved', 'rejected'] as const).map((s) => {
      const tag = stateTag(s)
      return [tag.type, en.t(tag.key), de.t(tag.key)]
    })
    expect(words).toEqual([
      ['info', 'Pending', 'Offen'],
      ['success', 'Approved', 'Genehmigt'],
      ['error', 'Rejected', 'Abgelehnt'],
    ])
  })
  it('shows an unknown state as itself', () => {
    expect(stateTag('archived')).toEqual({ type: 'default', key: '' })
  })
  it('links each request to its page', () => {
    expect(requestLink('R12')).toBe('/my/requests/R12')
    const byName = Object.fromEntries(routes.map((r) => [r.name, r.path]))
    expect(byName).toMatchObject({
      'my-activate': '/my/activate',
      'my-deactivate': '/my/deactivate',
      'my-requests': '/my/requests',
      'my-request': '/my/requests/:id',
    })
  })
  it('pages while some are left', () => {
    expect(hasMore(50, 51)).toBe(true)
    expect(hasMore(51, 51)).toBe(false)
  })
})

describe('the response out', () => {
  it('is there only for an approved request with a response', () => {
    expect(responseOf(null)).toBeNull()
    expect(responseOf(req({ state: 'pending', response: undefined, decided: null }))).toBeNull()
    expect(responseOf(req({ state: 'rejected', response: undefined, reason: 'no' }))).toBeNull()
    expect(responseOf(req({ response: undefined }))).toBeNull()
  })
  it('carries the response, its QR and the names the file is saved under', () => {
    const r = responseOf(req())!
    expect(r.response).toEqual({ armored: '-----BEGIN-----', compact: 'RP1:abc' })
    expect(r.qr_png).toBe('iVBOR')
    expect(r.activation).toMatchObject({ id: 'A4', license: 'CAD-1111-2222', hostname: 'ws-01', customer_name: 'Ada Lovelace' })
    expect(responseFileName(r.activation.hostname, r.activation.license)).toBe('ws-01-CAD-1111-2222.response.txt')
  })
  it('names a machine without a host name "machine"', () => {
    const r = responseOf(req({ hostname: undefined }))!
    expect(responseFileName(r.activation.hostname, r.activation.license)).toBe('machine-CAD-1111-2222.response.txt')
  })
})

describe('the customer portal store', () => {
  let fake: FakeTransport
  beforeEach(() => {
    setActivePinia(createPinia())
    fake = new FakeTransport()
    setTransport(fake)
  })
  afterEach(() => setTransport(null))

  it('sends only the document, and asks for the QR when activating and reading a request', async () => {
    for (const op of ['my.activation.preview', 'my.activate', 'my.request', 'my.deactivation.preview', 'my.deactivate', 'my.requests', 'my.request.sheet'])
      fake.on(op, () => ({ ok: true, data: null }))
    const s = useCustomerPortalStore()
    await s.previewActivation({ text: 'RP1:x', qr: true })
    await s.activate({ image: 'iVBOR', text: 'ignored' })
    await s.request('R3')
    await s.requests(0, 50)
    await s.requestSheet('R3')
    await s.previewDeactivation({ text: 'RP1:d' })
    await s.deactivate({ text: 'RP1:d' })
    expect(fake.calls).toEqual([
      { op: 'my.activation.preview', params: { text: 'RP1:x' } },
      { op: 'my.activate', params: { image: 'iVBOR', qr: true } },
      { op: 'my.request', params: { id: 'R3', qr: true } },
      { op: 'my.requests', params: { offset: 0, limit: 50 } },
      { op: 'my.request.sheet', params: { id: 'R3' } },
      { op: 'my.deactivation.preview', params: { text: 'RP1:d' } },
      { op: 'my.deactivate', params: { text: 'RP1:d' } },
    ])
  })
})
