import { beforeEach, afterEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { setTransport, type Status } from '../src/api'
import { useSessionStore } from '../src/stores/session'
import { FakeTransport } from './fake'

const fresh: Status = { initialized: false, reseller_name: '', enrolled: false, admins: [], signed_in: false, admin: '' }
const ready: Status = { ...fresh, initialized: true, reseller_name: 'Acme', admins: ['alice'] }
const signed: Status = { ...ready, signed_in: true, admin: 'alice' }

let fake: FakeTransport

beforeEach(() => {
  setActivePinia(createPinia())
  fake = new FakeTransport()
  setTransport(fake)
})
afterEach(() => setTransport(null))

describe('session store', () => {
  it('is loading until the first status arrives', () => {
    expect(useSessionStore().screen).toBe('loading')
  })

  it('shows first-run setup for an empty portal, sign-in once set up, home when signed in', async () => {
    const s = useSessionStore()
    let status = fresh
    fake.on('status', () => ({ ok: true, data: status }))
    await s.refresh()
    expect(s.screen).toBe('setup')
    status = ready
    await s.refresh()
    expect(s.screen).toBe('signin')
    status = signed
    await s.refresh()
    expect(s.screen).toBe('home')
  })

  it('is unavailable when the status cannot be read, and recovers on retry', async () => {
    const s = useSessionStore()
    fake.on('status', () => ({ ok: false, code: 'database_in_use', message: 'database is in use' }))
    expect(await s.refresh()).toBe(false)
    expect(s.screen).toBe('unavailable')
    expect(s.unavailable).toEqual({ code: 'database_in_use', message: 'database is in use' })
    fake.on('status', () => ({ ok: true, data: fresh }))
    expect(await s.refresh()).toBe(true)
    expect(s.screen).toBe('setup')
    expect(s.unavailable).toBeNull()
  })

  it('setup sends the form and re-reads the status', async () => {
    const s = useSessionStore()
    let status = fresh
    fake.on('status', () => ({ ok: true, data: status }))
    fake.on('setup', () => {
      status = signed
      return { ok: true }
    })
    await s.refresh()
    expect(await s.setup({ reseller: 'Acme', admin: 'alice', password: 'correct horse' })).toBe(true)
    expect(fake.calls[1]).toEqual({ op: 'setup', params: { reseller: 'Acme', admin: 'alice', password: 'correct horse' } })
    expect(fake.ops()).toEqual(['status', 'setup', 'status'])
    expect(s.screen).toBe('home')
    expect(s.problem).toBeNull()
  })

  it('keeps the screen and records the code when sign-in is refused', async () => {
    const s = useSessionStore()
    fake.on('status', () => ({ ok: true, data: ready }))
    fake.on('signin', () => ({ ok: false, code: 'wrong_password', message: 'wrong admin or password' }))
    await s.refresh()
    expect(await s.signIn({ admin: 'alice', password: 'nope' })).toBe(false)
    expect(s.screen).toBe('signin')
    expect(s.problem).toEqual({ code: 'wrong_password', message: 'wrong admin or password' })
    expect(fake.ops()).toEqual(['status', 'signin'])
    expect(s.busy).toBe(false)
  })

  it('clears the previous problem on the next attempt', async () => {
    const s = useSessionStore()
    let status = ready
    fake.on('status', () => ({ ok: true, data: status }))
    let answer = { ok: false, code: 'wrong_password', message: 'x' }
    fake.on('signin', () => answer)
    await s.refresh()
    await s.signIn({ admin: 'alice', password: 'a' })
    expect(s.problem?.code).toBe('wrong_password')
    answer = { ok: true, code: '', message: '' }
    status = signed
    expect(await s.signIn({ admin: 'alice', password: 'b' })).toBe(true)
    expect(s.problem).toBeNull()
    expect(s.screen).toBe('home')
  })

  it('signs out back to the sign-in screen', async () => {
    const s = useSessionStore()
    let status = signed
    fake.on('status', () => ({ ok: true, data: status }))
    fake.on('signout', () => {
      status = ready
      return { ok: true }
    })
    await s.refresh()
    expect(s.screen).toBe('home')
    expect(await s.signOut()).toBe(true)
    expect(s.screen).toBe('signin')
  })

  it('ignores a second action while one is running', async () => {
    const s = useSessionStore()
    fake.on('status', () => ({ ok: true, data: ready }))
    let release: () => void = () => {}
    fake.on('signin', () => new Promise((resolve) => (release = () => resolve({ ok: false, code: 'wrong_password' }))))
    await s.refresh()
    const first = s.signIn({ admin: 'alice', password: 'a' })
    expect(s.busy).toBe(true)
    expect(await s.signIn({ admin: 'alice', password: 'b' })).toBe(false)
    release()
    expect(await first).toBe(false)
    expect(fake.ops().filter((o) => o === 'signin')).toHaveLength(1)
    expect(s.problem).toEqual({ code: 'wrong_password', message: '' })
  })

  it('names a failure without a code internal', async () => {
    const s = useSessionStore()
    fake.on('status', () => ({ ok: true, data: ready }))
    fake.on('signin', () => ({ ok: false }))
    await s.refresh()
    await s.signIn({ admin: 'a', password: 'b' })
    expect(s.problem).toEqual({ code: 'internal', message: '' })
  })

  it('goes back to sign-in when the session has locked itself', async () => {
    const s = useSessionStore()
    let status = signed
    fake.on('status', () => ({ ok: true, data: status }))
    fake.on('signout', () => {
      status = ready
      return { ok: false, code: 'not_signed_in', message: 'session locked after being idle; sign in again' }
    })
    await s.refresh()
    expect(s.screen).toBe('home')
    expect(await s.signOut()).toBe(false)
    expect(s.screen).toBe('signin')
    expect(s.problem?.code).toBe('not_signed_in')
  })

  it('shows the customer portal for a customer session, and signs customers in by email or code', async () => {
    const s = useSessionStore()
    const customer: Status = { ...ready, signed_in: true, role: 'customer', customer: { user: 'u1', name: 'Bob', email: 'bob@x.example', manager: false } }
    let status = ready
    fake.on('status', () => ({ ok: true, data: status }))
    fake.on('customers.signin', () => {
      status = customer
      return { ok: true }
    })
    fake.on('customers.redeem', () => ({ ok: false, code: 'invitation_invalid', message: 'no' }))
    await s.refresh()
    expect(await s.redeem({ code: 'X', password: 'password1' })).toBe(false)
    expect(s.problem?.code).toBe('invitation_invalid')
    expect(await s.customerSignIn({ email: 'bob@x.example', password: 'password1' })).toBe(true)
    expect(s.screen).toBe('customer')
    expect(s.role).toBe('customer')
    expect(s.lastEmail).toBe('bob@x.example')
    expect(s.lastRole).toBe('customer')
  })
})
