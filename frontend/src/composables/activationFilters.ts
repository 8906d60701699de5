// The activations screen's filter state and the route query that carries it
// (as licenseFilters.ts does for the licenses screen): a filtered view
// survives back/forward, a reload and a bookmark. Pure functions: the view
// reads the query, the store turns the state into an activations.list call.
// Defaults never appear in the URL; a bad value in a hand-edited URL is
// ignored (its default is used).
import type { ActivationQuery } from '../api'

export const ACT_STATUSES = ['active', 'deactivated'] as const
export const PAGE_SIZES = [25, 50, 100] as const

export type ActStatus = (typeof ACT_STATUSES)[number]
export type PageSize = (typeof PAGE_SIZES)[number]

export interface ActivationFilters {
  license: string // a license key (case-insensitive)
  customer: string // "u12" / "o3"
  status: '' | ActStatus
  from: string // YYYY-MM-DD, first day shown (local time)
  to: string // YYYY-MM-DD, last day shown (local time, inclusive)
  page: number // 1-based
  size: PageSize
}

export const DEFAULT_FILTERS: Readonly<ActivationFilters> = Object.freeze({
  license: '',
  customer: '',
  status: '',
  from: '',
  to: '',
  page: 1,
  size: 25,
})

const MAX_PAGE = 1_000_000
const LICENSE_KEY = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/
const CUSTOMER_ID = /^[uo][1-9][0-9]{0,9}$/
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/

// A route query value: vue-router gives string | null | (string | null)[].
type QueryValue = string | null | undefined | (string | null)[]

function first(v: QueryValue): string {
  if (Array.isArray(v)) v = v[0]
  return typeof v === 'string' ? v : ''
}

// isDate says whether s is a real calendar date as YYYY-MM-DD.
export function isDate(s: string): boolean {
  const m = DATE.exec(s)
  if (!m) return false
  const [y, mo, d] = [+m[1], +m[2], +m[3]]
  if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1) return false
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate()
}

// normLicense trims a typed key; an empty string when it cannot be a key.
export function normLicense(s: string): string {
  const k = s.trim().toUpperCase()
  return LICENSE_KEY.test(k) ? k : ''
}

// filtersFromQuery reads the filter state from a route query.
export function filtersFromQuery(query: Record<string, QueryValue>): ActivationFilters {
  const f: ActivationFilters = { ...DEFAULT_FILTERS }
  f.license = normLicense(first(query.license))
  const customer = first(query.customer).trim().toLowerCase()
  if (CUSTOMER_ID.test(customer)) f.customer = customer
  const status = first(query.status)
  if ((ACT_STATUSES as readonly string[]).includes(status)) f.status = status as ActStatus
  const from = first(query.from)
  if (isDate(from)) f.from = from
  const to = first(query.to)
  if (isDate(to)) f.to = to
  const page = first(query.page)
  if (/^[0-9]{1,7}$/.test(page) && +page >= 1 && +page <= MAX_PAGE) f.page = +page
  const size = first(query.size)
  if (/^[0-9]+$/.test(size) && (PAGE_SIZES as readonly number[]).includes(+size)) f.size = +size as PageSize
  return f
}

// queryFromFilters writes the filter state as a route query, defaults left out.
export function queryFromFilters(f: ActivationFilters): Record<string, string> {
  const out: Record<string, string> = {}
  const license = normLicense(f.license)
  if (license !== '') out.license = license
  if (f.customer !== '') out.customer = f.customer
  if (f.status !== '') out.status = f.status
  if (isDate(f.from)) out.from = f.from
  if (isDate(f.to)) out.to = f.to
  if (f.page !== DEFAULT_FILTERS.page) out.page = String(f.page)
  if (f.size !== DEFAULT_FILTERS.size) out.size = String(f.size)
  return out
}

// withChange applies a change to the filters; any change other than the page
// itself goes back to the first page.
export function withChange(f: ActivationFilters, change: Partial<ActivationFilters>): ActivationFilters {
  const next = { ...f, ...change }
  const keys = Object.keys(change) as (keyof ActivationFilters)[]
  const other = keys.some((k) => k !== 'page' && change[k] !== f[k])
  if (other && change.page === undefined) next.page = 1
  return next
}

// isFiltered says whether anything narrows the list (the page doesn't).
export function isFiltered(f: ActivationFilters): boolean {
  return f.license !== '' || f.customer !== '' || f.status !== '' || f.from !== '' || f.to !== ''
}

// sameQuery compares two route queries as the filters they mean.
export function sameQuery(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])
}

// startOfDay is local midnight of a YYYY-MM-DD date, plus days, as an RFC
// 3339 UTC string (whole seconds), the form the backend reads.
export function startOfDay(date: string, plusDays = 0): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(y, m - 1, d + plusDays).toISOString().replace(/\.000Z$/, 'Z')
}

// listParams turns the filter state into the activations.list params. The
// backend's `from` is "created at or after", its `to` "created before": the
// last day shown ends at the next local midnight. One row more than the page
// is asked for, to know whether there is a next page.
export function listParams(f: ActivationFilters): ActivationQuery {
  const p: ActivationQuery = { offset: (f.page - 1) * f.size, limit: f.size + 1 }
  const license = normLicense(f.license)
  if (license !== '') p.license = license
  if (f.customer !== '') p.customer = f.customer
  if (f.status !== '') p.status = f.status
  if (isDate(f.from)) p.from = startOfDay(f.from)
  if (isDate(f.to)) p.to = startOfDay(f.to, 1)
  return p
}
