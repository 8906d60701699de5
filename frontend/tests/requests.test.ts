// Customer requests, the admin's side: the filter state in the route query,
// the reason check, the navigation's badge, and the store (last page wins,
// decided rows replaced, the count polled only in the admin's shell).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { setTransport, type CustomerRequest, type Reply, type Status } from '../src/api'
import {
  MAX_REASON,
  pendingBadge,
  queryFromRequestFilters,
  reasonProblem,
  requestFiltersFromQuery,
  requestListParams,
} from '../src/composables/requestFilters'
import { PENDING_POLL_MS, useRequestsStore } from '../src/stores/requests'
import { useSessionStore } from '../src/stores/session'
import { FakeTransport } from './fake'

describe('request filters', () => {
  it('defaults to the pending requests, first page, and leaves defaults out of the URL', () => {
    const f = requestFiltersFromQuery({})
    expect(f).toEqual({ state: 'pending', page: 1 })
    expect(queryFromRequestFilters(f)).toEqual({})
    expect(requestListParams(f)).toEqual({ state: 'pending', offset: 0, limit: 25 })
  })

  it.each([
    [{ state: 'approved' }, { state: 'approved', page: 1 }],
    [{ state: 'rejected', page: '3' }, { state: 'rejected', page: 3 }],
    [{ state: 'all' }, { state: 'all', page: 1 }],
    [{ state: 'bogus', page: '0' }, { state: 'pending', page: 1 }],
    [{ state: ['approved', 'rejected'], page: '-2' }, { state: 'approved', page: 1 }],
    [{ state: null, page: '1e3' }, { state: 'pending', page: 1 }],
  ])('reads %j as %j', (q, want) => expect(requestFiltersFromQuery(q as Record<string, string>)).toEqual(want))

  it('round-trips through the query; "all" asks the backend for every state', () => {
    const f = { state: 'all' as const, page: 2 }
    expect(queryFromRequestFilters(f)).toEqual({ state: 'all', page: '2' })
    expect(requestFiltersFromQuery(queryFromRequestFilters(f))).toEqual(f)
    expect(requestListParams(f)).toEqual({ state: '', offset: 25, limit: 25 })
  })

  it('wants a reason of 1 to 500 characters (trimmed; characters, not bytes)', () => {
    expect(reasonProblem('')).toBe('reason_required')
    expect(reasonProblem('   \n ')).toBe('reason_required')
    expect(reasonProblem('no')).toBeNull()
    expect(reasonProblem('é'.repeat(MAX_REASON))).toBeNull()
    expect(reasonProblem(` ${'x'.repeat(MAX_REASON)} `)).toBeNull()
    expect(reasonProblem('x'.repeat(MAX_REASON + 1))).toBe('reason_required')
  })

  it('shows the count as a small badge', () => {
    expect(pendingBadge(0)).toBe('')
    expect(pendingBadge(-1)).toBe('')
    expect(pendingBadge(7)).toBe('7')
    expect(pendingBadge(99)).toBe('99')
    expect(pendingBadge(100)).toBe('99+')
  })
})

const req = (n: number, state: CustomerRequest['state'] = 'pending'): CustomerRequest => ({
  id: `R${n}`,
  state,
  mode: 'approval',
  license: 'K-1',
  product: 'cad-pro',
  machine: 'f'.repeat(64),
  customer: 'u1',
  customer_name: 'Bob',
  created: '2026-01-01T00:00:00Z',
  decided: null,
  repeat: false,
})

const admin: Status = { initialized: true, reseller_name: 'Acme', enrolled: true, signed_in: true, admin: 'alice', role: 'reseller-admin' }

describe('requests store', () => {
  let fake: FakeTransport
  beforeEach(() => {
    setActivePinia(createPinia())
    fake = new FakeTransport()
    setTransport(fake)
  })
  afterEach(() => {
    setTransport(null)
    vi.useRealTimers()
  })

  function signedIn(status: Status | null): void {
    useSessionStore().status = status
  }

  it('lists a page; a slower older answer does not overwrite a newer one', async () => {
    let release: (r: Reply) => void = () => {}
    fake.on('requests.list', (p) => {
      const { state } = p as { state: string }
      if (state === 'pending') return new Promise<Reply>((res) => (release = res))
      return { ok: true, data: { items: [req(2, 'approved')], total: 1, pending: 4 } }
    })
    const s = useRequestsStore()
    const slow = s.list({ state: 'pending', offset: 0, limit: 25 })
    await s.list({ state: 'approved', offset: 0, limit: 25 })
    release({ ok: true, data: { items: [req(1)], total: 1, pending: 9 } })
    await slow
    expect(s.items.map((r) => r.id)).toEqual(['R2'])
    expect(s.pending).toBe(4)
    expect(s.shownFor).toBe(JSON.stringify({ state: 'approved', offset: 0, limit: 25 }))
  })

  it('replaces an approved row in place and re-reads the count; a refusal leaves the row', async () => {
    signedIn(admin)
    fake.on('requests.list', () => ({ ok: true, data: { items: [req(2), req(1)], total: 2, pending: 2 } }))
    fake.on('signing.status', () => ({ ok: true, data: { mode: 'approval', unlocked: false, pending: 1 } }))
    fake.on('requests.approve', (p) =>
      (p as { id: string }).id === 'R2'
        ? { ok: true, data: { ...req(2, 'approved'), activation: 'A7', response: { armored: 'x', compact: 'y' } } }
        : { ok: false, code: 'license_over_limit', message: 'no activations left' },
    )
    const s = useRequestsStore()
    await s.list({ state: 'pending', offset: 0, limit: 25 })
    const ok = await s.approve('R2')
    expect(ok.ok).toBe(true)
    expect(s.items[0]).toMatchObject({ id: 'R2', state: 'approved', activation: 'A7' })
    expect(s.items[0].response).toBeUndefined()
    await vi.waitFor(() => expect(s.pending).toBe(1))
    const refused = await s.approve('R1')
    expect(refused.code).toBe('license_over_limit')
    expect(s.items[1]).toMatchObject({ id: 'R1', state: 'pending' })
    expect(fake.ops().filter((o) => o === 'signing.status')).toHaveLength(1)
  })

  it('sends a trimmed reason', async () => {
    fake.on('requests.reject', (p) => ({ ok: true, data: { ...req(1, 'rejected'), reason: (p as { reason: string }).reason } }))
    const s = useRequestsStore()
    await s.reject('R1', '  not this machine \n')
    expect(fake.calls[0].params).toEqual({ id: 'R1', reason: 'not this machine' })
  })

  it('polls the count every 30 s in the admin shell, never for a customer or signed out, and stops', async () => {
    vi.useFakeTimers()
    let n = 0
    fake.on('signing.status', () => ({ ok: true, data: { mode: 'approval', unlocked: false, pending: ++n } }))
    const s = useRequestsStore()

    signedIn({ ...admin, role: 'customer', admin: '' })
    let stop = s.watchPending()
    await vi.advanceTimersByTimeAsync(PENDING_POLL_MS * 2)
    stop()
    signedIn({ ...admin, signed_in: false })
    stop = s.watchPending()
    await vi.advanceTimersByTimeAsync(PENDING_POLL_MS)
    stop()
    expect(fake.calls).toHaveLength(0)

    signedIn(admin)
    stop = s.watchPending()
    await vi.advanceTimersByTimeAsync(0)
    expect(s.pending).toBe(1)
    await vi.advanceTimersByTimeAsync(PENDING_POLL_MS)
    expect(s.pending).toBe(2)
    stop()
    await vi.advanceTimersByTimeAsync(PENDING_POLL_MS * 3)
    expect(fake.calls).toHaveLength(2)
  })

  it('keeps the last count when a refresh fails; signing ops update the state and the count', async () => {
    signedIn(admin)
    fake.on('signing.status', () => ({ ok: false, code: 'internal', message: 'x' }))
    fake.on('signing.mode', (p) => ({ ok: true, data: { mode: (p as { mode: 'immediate' }).mode, unlocked: false, pending: 3 } }))
    fake.on('signing.unlock', (p) =>
      (p as { password: string }).password === 'right'
        ? { ok: true, data: { mode: 'immediate', unlocked: true, unlocked_by: 'alice', unlocked_at: '2026-01-01T00:00:00Z', pending: 3 } }
        : { ok: false, code: 'wrong_password', message: 'wrong password' },
    )
    const s = useRequestsStore()
    await s.setMode('immediate')
    expect(s.pending).toBe(3)
    await s.refreshPending()
    expect(s.pending).toBe(3)
    expect((await s.unlock('wrong')).code).toBe('wrong_password')
    expect(s.signing?.unlocked).toBe(false)
    await s.unlock('right')
    expect(s.signing).toMatchObject({ unlocked: true, unlocked_by: 'alice' })
  })
})
