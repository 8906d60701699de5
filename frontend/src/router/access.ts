// Which routes a role may see (../shared/spec/UI.md: "admins never land here,
// customers never leave it"). App.vue applies it: a route the role may not
// see is replaced by the role's home before its screen is drawn.
import type { Role } from '../api'

export const CUSTOMER_HOME = '/my/licenses'
export const ADMIN_HOME = '/dashboard'
// PUBLIC routes are screens of their own while signed out (no sign-in first).
export const PUBLIC_ROUTES = ['/redeem']

const isCustomerPath = (path: string) => path.startsWith('/my/')

// redirectFor returns where a signed-in role must go instead of path, or null
// when it may stay. Signed out (role ''), every route stays: the window shows
// sign-in (or a public screen) and keeps the route for after.
export function redirectFor(role: Role | undefined, signedIn: boolean, path: string): string | null {
  if (!signedIn) return null
  if (role === 'customer') return isCustomerPath(path) ? null : CUSTOMER_HOME
  // An admin (or an older backend that names no role) never sees the
  // customer portal, nor the public redeem form.
  if (isCustomerPath(path) || path === '/my' || PUBLIC_ROUTES.includes(path)) return ADMIN_HOME
  return null
}

// isPublicRoute: a screen shown to a signed-out visitor instead of sign-in.
export function isPublicRoute(path: string): boolean {
  return PUBLIC_ROUTES.includes(path)
}
