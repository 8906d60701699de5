// The administrator accounts: list (with locks), add, remove, and changing
// the signed-in admin's own password. Account changes ask the caller's own
// password, as the operations do.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, type AdminInfo, type Reply } from '../api'
import { useSessionStore } from './session'

export const MIN_PASSWORD = 8 // portal minPassword (runes)

export type PasswordRefusal = 'required' | 'too_short' | 'mismatch' | 'same'

// passwordProblem checks a new password and its confirmation before
// sending; current is the caller's own password (when the form asks it).
export function passwordProblem(f: { current?: string; next: string; confirm: string }): PasswordRefusal | null {
  if (f.current !== undefined && f.current === '') return 'required'
  if (f.next === '') return 'required'
  if ([...f.next].length < MIN_PASSWORD) return 'too_short'
  if (f.next !== f.confirm) return 'mismatch'
  if (f.current !== undefined && f.current === f.next) return 'same'
  return null
}

// adminNameProblem: the backend's name rule (no spaces or control
// characters, at most 64), checked before sending.
export function adminNameProblem(name: string): 'required' | 'invalid' | null {
  const n = name.trim()
  if (n === '') return 'required'
  if (n.length > 64 || /[\s\p{Cc}]/u.test(n)) return 'invalid'
  return null
}

export const useAdminsStore = defineStore('admins', () => {
  const admins = ref<AdminInfo[]>([])
  const loading = ref(false)
  const loaded = ref(false)

  async function load(): Promise<Reply<AdminInfo[]>> {
    loading.value = true
    try {
      const r = await call('admins.list')
      if (r.ok && r.data) {
        admins.value = r.data
        loaded.value = true
      }
      return r
    } finally {
      loading.value = false
    }
  }

  async function add(name: string, newPassword: string, ownPassword: string): Promise<Reply<AdminInfo>> {
    const r = await call('admins.add', { name: name.trim(), password: ownPassword, new_password: newPassword })
    if (r.ok) await load()
    return r
  }

  // remove deletes an account; removing oneself ends one's own session, so
  // the window goes back to sign-in.
  async function remove(name: string): Promise<Reply<null>> {
    const session = useSessionStore()
    const self = name === session.status?.admin
    const r = await call('admins.remove', { name })
    if (r.ok) {
      if (self) await session.refresh()
      else await load()
    }
    return r
  }

  // changeOwn changes the signed-in admin's password (other sessions of
  // that account end; this one stays).
  async function changeOwn(current: string, next: string): Promise<Reply<null>> {
    const session = useSessionStore()
    return call('admins.passwd', { name: session.status?.admin ?? '', password: current, new_password: next })
  }

  return { admins, loading, loaded, load, add, remove, changeOwn }
})
