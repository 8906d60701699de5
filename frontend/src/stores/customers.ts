// The customers store: the only place the customer screens (and the
// customer picker) reach the backend's users.*, orgs.* and the licenses and
// activations of one customer. Screens keep their own view state; each
// action answers the reply so the screen can show a refusal in words.
import { defineStore } from 'pinia'
import { call, type Activation, type License, type Org, type Reply, type User, type UserInput, type UserUpdate } from '../api'
import { kindOf, type CustomerSource } from '../composables/customerSearch'

export const PAGE_SIZE = 50
const ORGS_MAX_AGE_MS = 60_000

export interface Page<T> {
  items: T[]
  hasMore: boolean
}

// A customer page: the user or organization itself.
export type Customer = { kind: 'user'; user: User } | { kind: 'org'; org: Org }

// What the delete dialog needs to know about a customer.
export interface DeleteTarget {
  id: string
  name: string
  kind: 'user' | 'org'
  licenses: number
  users: number // organizations only
}

export const userTarget = (u: User): DeleteTarget => ({ id: u.id, name: u.name, kind: 'user', licenses: u.licenses, users: 0 })
export const orgTarget = (o: Org): DeleteTarget => ({ id: o.id, name: o.name, kind: 'org', licenses: o.licenses, users: o.users })

const notFound = (id: string): Reply<never> => ({ ok: false, code: 'invalid_id', message: `not a customer id: ${id}` })

export const useCustomersStore = defineStore('customers', () => {
  // Organizations are few next to users and orgs.list has no search: one
  // list, cached for the picker and the forms, dropped on every change.
  let orgsCache: { at: number; reply: Promise<Reply<Org[]>> } | null = null

  function orgs({ fresh = false } = {}): Promise<Reply<Org[]>> {
    if (fresh || !orgsCache || Date.now() - orgsCache.at > ORGS_MAX_AGE_MS) {
      const reply = call('orgs.list').then((r) => {
        if (!r.ok) orgsCache = null // do not keep a failure
        return r
      })
      orgsCache = { at: Date.now(), reply }
    }
    return orgsCache.reply
  }

  function changed<T>(r: Reply<T>): Reply<T> {
    if (r.ok) orgsCache = null
    return r
  }

  // users asks one page more than it shows to know whether more follow.
  async function users({ search = '', org = '', page = 0 }: { search?: string; org?: string; page?: number } = {}): Promise<Reply<Page<User>>> {
    const r = await call('users.list', { search, org, offset: page * PAGE_SIZE, limit: PAGE_SIZE + 1 })
    if (!r.ok) return { ...r, data: undefined }
    const all = r.data ?? []
    return { ok: true, data: { items: all.slice(0, PAGE_SIZE), hasMore: all.length > PAGE_SIZE } }
  }

  // The picker's source: users searched by the backend, orgs from the cache.
  const source: CustomerSource = {
    users: (term, limit) => call('users.list', { search: term, limit }),
    orgs: () => orgs(),
  }

  async function get(id: string): Promise<Reply<Customer>> {
    const kind = kindOf(id)
    if (kind === 'user') {
      const r = await call('users.get', { id })
      return r.ok && r.data ? { ok: true, data: { kind, user: r.data } } : { ...r, data: undefined }
    }
    if (kind === 'org') {
      const r = await call('orgs.get', { id })
      return r.ok && r.data ? { ok: true, data: { kind, org: r.data } } : { ...r, data: undefined }
    }
    return notFound(id)
  }

  const createUser = async (p: UserInput) => changed(await call('users.create', p))
  const updateUser = async (p: UserUpdate) => changed(await call('users.update', p))
  const createOrg = async (name: string) => changed(await call('orgs.create', { name }))
  const updateOrg = async (id: string, name: string) => changed(await call('orgs.update', { id, name }))

  async function remove(id: string, revoke = false): Promise<Reply<null>> {
    const kind = kindOf(id)
    if (kind === 'user') return changed(await call('users.delete', { id, revoke }))
    if (kind === 'org') return changed(await call('orgs.delete', { id, revoke }))
    return notFound(id)
  }

  // The licenses one customer holds (an organization's include its users').
  async function licensesOf(customer: string): Promise<Reply<License[]>> {
    const r = await call('licenses.list', { customer, limit: 0 })
    return r.ok ? { ok: true, data: r.data?.items ?? [] } : { ...r, data: undefined }
  }

  // Licenses free to assign, searched by key or product prefix.
  async function available(search: string, limit = 20): Promise<Reply<License[]>> {
    const r = await call('licenses.list', { status: 'available', search, limit })
    return r.ok ? { ok: true, data: r.data?.items ?? [] } : { ...r, data: undefined }
  }

  async function assign(key: string, customer: string): Promise<Reply<License>> {
    const r = await call('licenses.assign', kindOf(customer) === 'org' ? { key, org: customer } : { key, user: customer })
    return changed(r)
  }

  const activationsOf = (customer: string, limit = 200): Promise<Reply<Activation[]>> => call('activations.list', { customer, limit })

  return { orgs, users, source, get, createUser, updateUser, createOrg, updateOrg, remove, licensesOf, available, assign, activationsOf }
})
