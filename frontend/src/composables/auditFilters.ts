// The audit screen's filter state and the route query that carries it (as
// activationFilters.ts does for the activations screen): a filtered view
// survives back/forward, a reload and a bookmark. Paging is by cursor:
// `before` is a sequence number (the page starts below it; none: the newest
// entry), so every page costs the backend one seek, however long the log.
// Defaults never appear in the URL; a bad value in a hand-edited URL is
// ignored (its default is used).
import type { AuditQuery } from '../api'

export const PAGE_SIZES = [25, 50, 100] as const
export type PageSize = (typeof PAGE_SIZES)[number]

export interface AuditFilters {
  action: string // exact action, e.g. "license.import"
  actor: string // exact admin name
  before: number // 0: from the newest entry
  size: PageSize
}

export const DEFAULT_FILTERS: Readonly<AuditFilters> = Object.freeze({ action: '', actor: '', before: 0, size: 25 })

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/
const ACTOR = /^[A-Za-z0-9._@-]{1,64}$/ // an admin name (backend checkAdminName)
const MAX_SEQ = Number.MAX_SAFE_INTEGER

// A route query value: vue-router gives string | null | (string | null)[].
type QueryValue = string | null | undefined | (string | null)[]

function first(v: QueryValue): string {
  if (Array.isArray(v)) v = v[0]
  return typeof v === 'string' ? v : ''
}

export const isAction = (s: string) => s.length <= 64 && ACTION.test(s)
export const isActor = (s: string) => ACTOR.test(s)

// filtersFromQuery reads the filter state from a route query.
export function filtersFromQuery(query: Record<string, QueryValue>): AuditFilters {
  const f: AuditFilters = { ...DEFAULT_FILTERS }
  const action = first(query.action).trim()
  if (isAction(action)) f.action = action
  const actor = first(query.actor).trim()
  if (isActor(actor)) f.actor = actor
  const before = first(query.before)
  if (/^[1-9][0-9]{0,15}$/.test(before) && +before <= MAX_SEQ) f.before = +before
  const size = first(query.size)
  if (/^[0-9]+$/.test(size) && (PAGE_SIZES as readonly number[]).includes(+size)) f.size = +size as PageSize
  return f
}

// queryFromFilters writes the filter state as a route query, defaults left out.
export function queryFromFilters(f: AuditFilters): Record<string, string> {
  const out: Record<string, string> = {}
  if (isAction(f.action)) out.action = f.action
  if (isActor(f.actor)) out.actor = f.actor
  if (Number.isSafeInteger(f.before) && f.before > 0) out.before = String(f.before)
  if (f.size !== DEFAULT_FILTERS.size) out.size = String(f.size)
  return out
}

// withChange applies a change to the filters; any change other than the
// cursor itself goes back to the newest entries.
export function withChange(f: AuditFilters, change: Partial<AuditFilters>): AuditFilters {
  const next = { ...f, ...change }
  const keys = Object.keys(change) as (keyof AuditFilters)[]
  const other = keys.some((k) => k !== 'before' && change[k] !== f[k])
  if (other && change.before === undefined) next.before = 0
  return next
}

// isFiltered says whether anything narrows the list (the cursor doesn't).
export function isFiltered(f: AuditFilters): boolean {
  return f.action !== '' || f.actor !== ''
}

// sameQuery compares two route queries as the filters they mean.
export function sameQuery(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])
}

// listParams turns the filter state into the audit.list params.
export function listParams(f: AuditFilters): AuditQuery {
  const p: AuditQuery = { limit: f.size }
  if (isAction(f.action)) p.action = f.action
  if (isActor(f.actor)) p.actor = f.actor
  if (f.before > 0) p.before = f.before
  return p
}

// BrokenAt is what a refused audit.verify says, read from the backend's
// message: the first bad entry and how it is bad.
export type BreakKind = 'altered' | 'unreadable' | 'missing' | 'unlinked' | 'truncated' | 'unknown'
export interface BrokenAt {
  seq: number // the first bad entry (truncated: the last entry left); 0 when unknown
  kind: BreakKind
}

// brokenAt reads verifyAudit's messages (backend/portal/audit.go):
// "entry N was altered", "entry N cannot be read", "entry N missing or out
// of order (found M)", "entry N does not follow entry M", "the last entries
// were removed (log ends at N)".
export function brokenAt(message: string): BrokenAt {
  const m = /entry (\d+) (was altered|cannot be read|missing or out of order|does not follow)/.exec(message)
  if (m) {
    const kinds: Record<string, BreakKind> = {
      'was altered': 'altered',
      'cannot be read': 'unreadable',
      'missing or out of order': 'missing',
      'does not follow': 'unlinked',
    }
    return { seq: +m[1], kind: kinds[m[2]] }
  }
  const e = /log ends at (\d+)/.exec(message)
  if (e) return { seq: +e[1], kind: 'truncated' }
  return { seq: 0, kind: 'unknown' }
}

// shorten cuts a long detail for the table (the full text is in the row's
// details).
export function shorten(s: string, max = 60): string {
  const chars = [...s]
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s
}
