// Which routes a role may see (router/access.ts): admins never land in the
// customer portal, customers never leave it, signed out every route stays.
import { describe, expect, it } from 'vitest'
import { ADMIN_HOME, CUSTOMER_HOME, isPublicRoute, redirectFor } from '../src/router/access'
import { routes } from '../src/router'

const ADMIN_PATHS = ['/dashboard', '/licenses', '/licenses/K1', '/customers', '/customers/u1', '/activate', '/deactivate', '/batch', '/activations', '/audit', '/settings', '/enroll', '/nope']
const CUSTOMER_PATHS = ['/my/licenses', '/my/licenses/K1']

describe('route access', () => {
  it('keeps a customer in #/my/…', () => {
    for (const p of CUSTOMER_PATHS) expect(redirectFor('customer', true, p), p).toBeNull()
    for (const p of [...ADMIN_PATHS, '/', '/my', '/redeem']) expect(redirectFor('customer', true, p), p).toBe(CUSTOMER_HOME)
  })

  it('keeps an admin out of #/my/… and the redeem form', () => {
    for (const p of ADMIN_PATHS) expect(redirectFor('reseller-admin', true, p), p).toBeNull()
    for (const p of [...CUSTOMER_PATHS, '/my', '/redeem']) expect(redirectFor('reseller-admin', true, p), p).toBe(ADMIN_HOME)
  })

  it('treats a session without a role (an older backend) as an admin', () => {
    expect(redirectFor(undefined, true, '/my/licenses')).toBe(ADMIN_HOME)
    expect(redirectFor(undefined, true, '/customers')).toBeNull()
  })

  it('moves nobody who is signed out (sign-in, then the route)', () => {
    for (const p of [...ADMIN_PATHS, ...CUSTOMER_PATHS, '/redeem']) expect(redirectFor('', false, p), p).toBeNull()
  })

  it('has only the redeem form public, and the routes it names exist', () => {
    expect(isPublicRoute('/redeem')).toBe(true)
    expect(isPublicRoute('/my/licenses')).toBe(false)
    const paths = routes.map((r) => r.path)
    for (const p of ['/my/licenses', '/my/licenses/:key', '/redeem', CUSTOMER_HOME, ADMIN_HOME]) expect(paths).toContain(p)
  })
})
