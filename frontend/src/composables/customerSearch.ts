// The customer picker's behaviour, apart from the component so it can be
// tested: search-as-you-type over users (the backend searches) and
// organizations (fetched once by the store, filtered here by word prefix),
// debounced, the last answer wins (a reply to an older term is dropped), and
// the two kinds merged into one grouped result.
import { ref } from 'vue'
import type { Org, Reply, User } from '../api'
import type { CodedProblem } from '../i18n/problem'

export type CustomerKind = 'user' | 'org'

// CustomerHit is one option of the picker.
export interface CustomerHit {
  id: string
  kind: CustomerKind
  name: string
  email: string // users only
  org: string // a user's organization name
  users: number // organizations only
  licenses: number
}

// CustomerPick is what the picker emits when a customer is chosen.
export interface CustomerPick {
  id: string
  name: string
  kind: CustomerKind
}

// Where the picker gets its data (the customers store provides it).
export interface CustomerSource {
  users(term: string, limit: number): Promise<Reply<User[]>>
  orgs(): Promise<Reply<Org[]>>
}

export const SEARCH_DELAY_MS = 50
export const SEARCH_LIMIT = 20

export function kindOf(id: string): CustomerKind | null {
  if (/^u\d+$/.test(id)) return 'user'
  if (/^o\d+$/.test(id)) return 'org'
  return null
}

const words = (s: string) => s.toLocaleLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)

// nameMatches: every word of the term starts a word of the name (so "glob"
// and "corp glob" both match "Globex Corporation"); an empty term matches.
export function nameMatches(name: string, term: string): boolean {
  const want = words(term)
  if (want.length === 0) return true
  const have = words(name)
  return want.every((w) => have.some((h) => h.startsWith(w)))
}

export function userHit(u: User): CustomerHit {
  return { id: u.id, kind: 'user', name: u.name, email: u.email, org: u.org_name, users: 0, licenses: u.licenses }
}

export function orgHit(o: Org): CustomerHit {
  return { id: o.id, kind: 'org', name: o.name, email: '', org: '', users: o.users, licenses: o.licenses }
}

// mergeHits turns the backend's users (already searched) and all
// organizations into the two groups of the picker, each at most limit long.
export function mergeHits(users: User[], orgs: Org[], term: string, limit = SEARCH_LIMIT): { users: CustomerHit[]; orgs: CustomerHit[] } {
  const o = orgs
    .filter((x) => nameMatches(x.name, term))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(orgHit)
  return { users: users.slice(0, limit).map(userHit), orgs: o }
}

// useCustomerSearch: search(term) asks after `delay` ms of quiet; only the
// answer to the latest term is shown.
export function useCustomerSearch(source: CustomerSource, { delay = SEARCH_DELAY_MS, limit = SEARCH_LIMIT } = {}) {
  const users = ref<CustomerHit[]>([])
  const orgs = ref<CustomerHit[]>([])
  const loading = ref(false)
  const problem = ref<CodedProblem | null>(null)
  const term = ref('')
  let seq = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  async function run(t: string, my: number): Promise<void> {
    const [u, o] = await Promise.all([source.users(t, limit), source.orgs()])
    if (my !== seq) return // a newer term was typed meanwhile
    loading.value = false
    const bad = !u.ok ? u : !o.ok ? o : null
    if (bad) {
      problem.value = { code: bad.code || 'internal', message: bad.message || '' }
      return
    }
    problem.value = null
    const m = mergeHits(u.data ?? [], o.data ?? [], t, limit)
    users.value = m.users
    orgs.value = m.orgs
  }

  function search(t: string, { now = false } = {}): Promise<void> {
    if (timer) clearTimeout(timer)
    timer = null
    term.value = t
    const my = ++seq
    loading.value = true
    if (now) return run(t, my)
    return new Promise((resolve) => {
      timer = setTimeout(() => {
        timer = null
        void run(t, my).then(resolve)
      }, delay)
    })
  }

  // cancel drops a pending search and any answer still on its way.
  function cancel(): void {
    if (timer) clearTimeout(timer)
    timer = null
    seq++
    loading.value = false
  }

  return { users, orgs, loading, problem, term, search, cancel }
}

// Naive UI's select gives its menu and options no ARIA roles: these props
// make it a combobox with a listbox of options, so screen readers (and tests
// using getByRole('option')) find them. `open` is the menu's shown state.
export function comboboxInputProps(label: string, open: boolean, id: string | undefined, listId: string): Record<string, string | undefined> {
  return { id, role: 'combobox', 'aria-label': label, 'aria-autocomplete': 'list', 'aria-expanded': String(open), 'aria-controls': open ? listId : undefined }
}
export function listboxMenuProps(label: string, listId: string): Record<string, string> {
  return { id: listId, role: 'listbox', 'aria-label': label }
}
let lists = 0
export const listboxId = (): string => `rp-listbox-${++lists}`
export function optionNodeProps(selected: unknown) {
  return (option: { value?: unknown; type?: string }): Record<string, string> =>
    option.type === 'group' ? { role: 'presentation' } : { role: 'option', 'aria-selected': String(option.value === selected) }
}
