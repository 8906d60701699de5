import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { setTransport, type Org, type Reply, type User } from '../src/api'
import { mergeHits, nameMatches, useCustomerSearch, kindOf, type CustomerSource } from '../src/composables/customerSearch'
import { useCustomersStore } from '../src/stores/customers'
import { FakeTransport } from './fake'

const user = (id: string, name: string, email: string, org = '', org_name = ''): User => ({ id, name, email, org, org_name, licenses: 0, created: '2025-01-01T00:00:00Z' })
const org = (id: string, name: string, users = 0): Org => ({ id, name, users, licenses: 0, created: '2025-01-01T00:00:00Z' })

const ORGS = [org('o1', 'Globex Corporation', 1), org('o2', 'Initech'), org('o3', 'Global Dynamics')]
const USERS = [user('u1', 'Bob Builder', 'bob@globex.example', 'o1', 'Globex Corporation'), user('u2', 'Carol Jones', 'carol@example.com')]

// A source whose replies the test releases one by one, in any order.
function manualSource() {
  const pending: { term: string; resolve: (r: Reply<User[]>) => void }[] = []
  const src: CustomerSource = {
    users: (term) => new Promise((resolve) => pending.push({ term, resolve })),
    orgs: async () => ({ ok: true, data: ORGS }),
  }
  return { src, pending }
}

describe('customer search helpers', () => {
  it('matches organizations by word prefix, case-insensitively', () => {
    expect(nameMatches('Globex Corporation', 'glob')).toBe(true)
    expect(nameMatches('Globex Corporation', 'CORP')).toBe(true)
    expect(nameMatches('Globex Corporation', 'corp glo')).toBe(true)
    expect(nameMatches('Globex Corporation', 'lobex')).toBe(false)
    expect(nameMatches('Globex Corporation', '')).toBe(true)
    expect(nameMatches('Zürich Software', 'zü')).toBe(true)
  })

  it('merges users (searched by the backend) and filtered organizations into two groups', () => {
    const m = mergeHits(USERS.slice(0, 1), ORGS, 'glo')
    expect(m.users.map((h) => [h.id, h.kind, h.email, h.org])).toEqual([['u1', 'user', 'bob@globex.example', 'Globex Corporation']])
    expect(m.orgs.map((h) => [h.id, h.kind, h.name])).toEqual([
      ['o3', 'org', 'Global Dynamics'],
      ['o1', 'org', 'Globex Corporation'],
    ])
    expect(mergeHits(USERS, ORGS, '', 1).orgs).toHaveLength(1)
  })

  it('tells users from organizations by id', () => {
    expect(kindOf('u3')).toBe('user')
    expect(kindOf('o12')).toBe('org')
    expect(kindOf('x1')).toBeNull()
    expect(kindOf('u')).toBeNull()
  })
})

describe('useCustomerSearch', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('waits for a pause in typing and asks once, with the last term', async () => {
    const calls: string[] = []
    const src: CustomerSource = {
      users: async (term) => {
        calls.push(term)
        return { ok: true, data: USERS.filter((u) => u.name.toLowerCase().includes(term)) }
      },
      orgs: async () => ({ ok: true, data: ORGS }),
    }
    const s = useCustomerSearch(src, { delay: 120 })
    void s.search('c')
    await vi.advanceTimersByTimeAsync(50)
    void s.search('ca')
    await vi.advanceTimersByTimeAsync(50)
    const done = s.search('car')
    expect(calls).toEqual([])
    expect(s.loading.value).toBe(true)
    await vi.advanceTimersByTimeAsync(119)
    expect(calls).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    await done
    expect(calls).toEqual(['car'])
    expect(s.loading.value).toBe(false)
    expect(s.users.value.map((h) => h.id)).toEqual(['u2'])
    expect(s.orgs.value).toEqual([])
  })

  it('ignores a stale reply that arrives after a newer one', async () => {
    const { src, pending } = manualSource()
    const s = useCustomerSearch(src, { delay: 0 })
    void s.search('b', { now: true })
    void s.search('ca', { now: true })
    expect(pending.map((p) => p.term)).toEqual(['b', 'ca'])
    pending[1].resolve({ ok: true, data: [USERS[1]] })
    await vi.runAllTimersAsync()
    expect(s.users.value.map((h) => h.id)).toEqual(['u2'])
    pending[0].resolve({ ok: true, data: [USERS[0]] }) // the older answer comes late
    await vi.runAllTimersAsync()
    expect(s.users.value.map((h) => h.id)).toEqual(['u2'])
    expect(s.loading.value).toBe(false)
  })

  it('drops a pending search on cancel', async () => {
    const { src, pending } = manualSource()
    const s = useCustomerSearch(src, { delay: 120 })
    void s.search('bob')
    s.cancel()
    await vi.advanceTimersByTimeAsync(500)
    expect(pending).toEqual([])
    expect(s.loading.value).toBe(false)
  })

  it('shows a failed search as a coded problem and clears it on the next answer', async () => {
    let fail = true
    const src: CustomerSource = {
      users: async () => (fail ? { ok: false, code: 'not_signed_in', message: 'sign in' } : { ok: true, data: USERS }),
      orgs: async () => ({ ok: true, data: ORGS }),
    }
    const s = useCustomerSearch(src)
    await s.search('x', { now: true })
    expect(s.problem.value).toEqual({ code: 'not_signed_in', message: 'sign in' })
    fail = false
    await s.search('', { now: true })
    expect(s.problem.value).toBeNull()
    expect(s.users.value).toHaveLength(2)
    expect(s.orgs.value).toHaveLength(3)
  })
})

describe('the customers store as the picker source', () => {
  let fake: FakeTransport
  beforeEach(() => {
    setActivePinia(createPinia())
    fake = new FakeTransport()
    setTransport(fake)
  })
  afterEach(() => setTransport(null))

  it('searches users on the backend and lists organizations once', async () => {
    fake.on('users.list', () => ({ ok: true, data: USERS }))
    fake.on('orgs.list', () => ({ ok: true, data: ORGS }))
    fake.on('orgs.create', () => ({ ok: true, data: org('o4', 'Umbrella') }))
    const store = useCustomersStore()
    const s = useCustomerSearch(store.source)
    await s.search('glo', { now: true })
    await s.search('glob', { now: true })
    expect(fake.calls.filter((c) => c.op === 'users.list').map((c) => c.params)).toEqual([
      { search: 'glo', limit: 20 },
      { search: 'glob', limit: 20 },
    ])
    expect(fake.ops().filter((o) => o === 'orgs.list')).toHaveLength(1)
    // a change to the organizations makes the next search read them again
    await store.createOrg('Umbrella')
    await s.search('um', { now: true })
    expect(fake.ops().filter((o) => o === 'orgs.list')).toHaveLength(2)
  })

  it('does not keep a failed organizations list', async () => {
    let n = 0
    fake.on('orgs.list', () => (n++ === 0 ? { ok: false, code: 'internal', message: 'x' } : { ok: true, data: ORGS }))
    const store = useCustomersStore()
    expect((await store.orgs()).ok).toBe(false)
    expect((await store.orgs()).ok).toBe(true)
  })
})
