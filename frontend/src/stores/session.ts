// The session store: what the backend says about this portal and who is
// signed in, and the first-run, sign-in, lock and sign-out actions.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { call, onReply, portal, type Reply, type SetupParams, type SignInParams, type Status } from '../api'

// Screen is what the window shows; it follows from the backend's status.
// 'home' is the admin's shell, 'customer' the customer portal's.
export type Screen = 'loading' | 'unavailable' | 'setup' | 'signin' | 'home' | 'customer'

// Problem is a failed operation: a stable code plus the backend's message.
export interface Problem {
  code: string
  message: string
}

export function problemOf(r: Reply<unknown>): Problem {
  return { code: r.code || 'internal', message: r.message || '' }
}

// The sign-in operations: their not_signed_in is the form's own answer.
const PUBLIC_SIGNIN = ['signin', 'customers.signin', 'customers.redeem']

export const useSessionStore = defineStore('session', () => {
  const status = ref<Status | null>(null)
  const loaded = ref(false)
  const busy = ref(false)
  const problem = ref<Problem | null>(null) // last failed action, shown by the form
  const unavailable = ref<Problem | null>(null) // the status itself could not be read
  // lastAdmin prefills the sign-in form after a sign-out or lock in this
  // window (serve mode does not list admin names to anonymous callers).
  const lastAdmin = ref('')
  // lastEmail: the same for a customer (the sign-in form opens on the
  // customer's side after a customer signed out or was signed out).
  const lastEmail = ref('')
  const lastRole = ref<'reseller-admin' | 'customer' | ''>('')

  const screen = computed<Screen>(() => {
    if (unavailable.value) return 'unavailable'
    if (!loaded.value || status.value === null) return 'loading'
    if (!status.value.initialized) return 'setup'
    if (!status.value.signed_in) return 'signin'
    return status.value.role === 'customer' ? 'customer' : 'home'
  })
  const role = computed(() => (status.value?.signed_in ? (status.value.role ?? 'reseller-admin') : ''))

  // refresh reads the status; a failure makes the portal "unavailable".
  async function refresh(): Promise<boolean> {
    const r = await portal.status()
    loaded.value = true
    if (!r.ok || !r.data) {
      unavailable.value = problemOf(r)
      return false
    }
    unavailable.value = null
    status.value = r.data
    if (r.data.admin) lastAdmin.value = r.data.admin
    if (r.data.customer?.email) lastEmail.value = r.data.customer.email
    if (r.data.signed_in) lastRole.value = r.data.role === 'customer' ? 'customer' : 'reseller-admin'
    return true
  }

  // Any operation that finds the session gone (idle lock on the backend, a
  // restore, another window signing out) takes the window back to sign-in;
  // the route stays, so signing in again returns to the same screen.
  onReply((op, r) => {
    if (!r.ok && r.code === 'not_signed_in' && !PUBLIC_SIGNIN.includes(op) && status.value?.signed_in) {
      problem.value = problemOf(r)
      void refresh()
    }
  })

  // run performs one action, records its problem, and re-reads the status.
  async function run(action: () => Promise<Reply<unknown>>): Promise<boolean> {
    if (busy.value) return false
    busy.value = true
    problem.value = null
    try {
      const r = await action()
      if (!r.ok) {
        problem.value = problemOf(r)
        if (r.code === 'not_signed_in') await refresh()
        return false
      }
      return await refresh()
    } finally {
      busy.value = false
    }
  }

  const setup = (p: SetupParams) => run(() => portal.setup(p))
  const signIn = (p: SignInParams) => run(() => portal.signIn(p))
  const signOut = () => run(() => portal.signOut())
  // A customer signs in with the user's email, or redeems an invitation code
  // (setting their password): both leave the session signed in as them.
  const customerSignIn = (p: { email: string; password: string }) => run(() => call('customers.signin', p))
  const redeem = (p: { code: string; password: string }) => run(() => call('customers.redeem', p))
  const startDemo = () => run(() => call('demo.start'))
  const leaveDemo = () => run(() => call('demo.leave'))
  // demoSample is the demo database's sample activation request (and the demo
  // publisher's key, which a customer's app would need to install a response).
  const demoSample = () => call('demo.sample')

  // lock signs out after the app was left idle and says so on the sign-in form.
  async function lock(reason: 'idle_locked' | 'locked' = 'idle_locked'): Promise<void> {
    if (await signOut()) problem.value = { code: reason, message: '' }
  }

  function clearProblem(): void {
    problem.value = null
  }

  return { status, role, lastAdmin, lastEmail, lastRole, busy, problem, unavailable, screen, refresh, setup, signIn, customerSignIn, redeem, signOut, lock, startDemo, leaveDemo, demoSample, clearProblem }
})
