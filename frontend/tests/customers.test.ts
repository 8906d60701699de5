import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { setTransport, type User } from '../src/api'
import { checkEmail, checkName } from '../src/composables/customerValidation'
import { PAGE_SIZE, useCustomersStore } from '../src/stores/customers'
import { FakeTransport } from './fake'

describe('customer form checks (mirror of backend/portal/validate.go)', () => {
  it.each([
    ['Carol Jones', ''],
    ['  Carol  ', ''],
    ['', 'required'],
    ['   ', 'required'],
    ['x'.repeat(200), ''],
    ['x'.repeat(201), 'name_too_long'],
    ['é'.repeat(200), ''], // characters, not bytes
    ['two\nlines', 'invalid_name'],
    ['tab\there', 'invalid_name'],
    ['sep\u2028x', 'invalid_name'],
    ['<img src=x onerror=alert(1)>', ''], // a name, shown as text
  ])('name %j → %j', (name, want) => expect(checkName(name)).toBe(want))

  it.each([
    ['carol@example.com', ''],
    ['Carol.Jones+tag@mail.example.co.uk', ''],
    [' carol@example.com ', ''],
    ['', 'required'],
    ['carol', 'invalid_email'],
    ['carol@localhost', 'invalid_email'], // no dotted domain
    ['carol@exa_mple.com', 'invalid_email'],
    ['carol@-example.com', 'invalid_email'],
    ['carol@example.com.', 'invalid_email'],
    ['Carol <carol@example.com>', 'invalid_email'], // no display name
    ['car ol@example.com', 'invalid_email'],
    ['.carol@example.com', 'invalid_email'],
    ['ca..rol@example.com', 'invalid_email'],
    ['@example.com', 'invalid_email'],
    [`${'a'.repeat(250)}@example.com`, 'invalid_email'],
  ])('email %j → %j', (email, want) => expect(checkEmail(email)).toBe(want))
})

const user = (i: number): User => ({ id: `u${i}`, name: `User ${i}`, email: `u${i}@example.com`, org: '', org_name: '', licenses: 0, created: '2025-01-01T00:00:00Z' })

describe('customers store', () => {
  let fake: FakeTransport
  beforeEach(() => {
    setActivePinia(createPinia())
    fake = new FakeTransport()
    setTransport(fake)
  })
  afterEach(() => setTransport(null))

  it('pages users on the server and knows whether more follow', async () => {
    fake.on('users.list', (p) => {
      const { offset = 0, limit = 0 } = p as { offset: number; limit: number }
      return { ok: true, data: Array.from({ length: 120 }, (_, i) => user(i + 1)).slice(offset, offset + limit) }
    })
    const s = useCustomersStore()
    const first = await s.users({ search: 'x' })
    expect(fake.calls[0].params).toEqual({ search: 'x', org: '', offset: 0, limit: PAGE_SIZE + 1 })
    expect(first.data?.items).toHaveLength(PAGE_SIZE)
    expect(first.data?.hasMore).toBe(true)
    const last = await s.users({ page: 2 })
    expect(last.data?.items.map((u) => u.id)[0]).toBe('u101')
    expect(last.data?.hasMore).toBe(false)
  })

  it('reads a user or an organization by its id, and refuses anything else without asking', async () => {
    fake.on('users.get', (p) => ({ ok: true, data: user(Number((p as { id: string }).id.slice(1))) }))
    fake.on('orgs.get', () => ({ ok: false, code: 'org_not_found', message: 'no such organization' }))
    const s = useCustomersStore()
    const u = await s.get('u3')
    expect(u.ok && u.data?.kind === 'user' && u.data.user.id).toBe('u3')
    expect((await s.get('o9')).code).toBe('org_not_found')
    expect((await s.get('nonsense')).code).toBe('invalid_id')
    expect(fake.ops()).toEqual(['users.get', 'orgs.get'])
  })

  it('deletes with the op of its kind, passing revoke', async () => {
    fake.on('users.delete', () => ({ ok: true, data: null }))
    fake.on('orgs.delete', () => ({ ok: false, code: 'org_has_users', message: 'organization has users' }))
    const s = useCustomersStore()
    expect((await s.remove('u3', true)).ok).toBe(true)
    expect((await s.remove('o1')).code).toBe('org_has_users')
    expect(fake.calls.map((c) => [c.op, c.params])).toEqual([
      ['users.delete', { id: 'u3', revoke: true }],
      ['orgs.delete', { id: 'o1', revoke: false }],
    ])
  })

  it('assigns to a user or an organization by id, and lists a customer licenses and available ones', async () => {
    fake.on('licenses.assign', () => ({ ok: true, data: {} }))
    fake.on('licenses.list', () => ({ ok: true, data: { items: [], has_more: false } }))
    const s = useCustomersStore()
    await s.assign('K-1', 'u2')
    await s.assign('K-2', 'o1')
    await s.licensesOf('o1')
    await s.available('cad')
    expect(fake.calls.map((c) => c.params)).toEqual([
      { key: 'K-1', user: 'u2' },
      { key: 'K-2', org: 'o1' },
      { customer: 'o1', limit: 0 },
      { status: 'available', search: 'cad', limit: 20 },
    ])
  })

  it('keeps the refusal of a create so the form can show it', async () => {
    fake.on('users.create', () => ({ ok: false, code: 'email_taken', message: 'email taken' }))
    const r = await useCustomersStore().createUser({ name: 'A', email: 'a@b.co', org: '' })
    expect(r).toMatchObject({ ok: false, code: 'email_taken' })
  })
})
