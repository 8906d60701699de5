// The licenses screen's filter state and the route query that carries it, so
// a filtered view survives back/forward, a reload and a bookmark. Pure
// functions: the view reads the query, the store turns the state into a
// licenses.list call. Defaults never appear in the URL; a bad value in a
// hand-edited URL is ignored (its default is used).
import type { LicenseQuery, LicenseStatus } from '../api'

export const STATUSES: readonly LicenseStatus[] = ['available', 'assigned', 'active', 'expired']
export const SORTS = ['key', 'expires'] as const
export const PAGE_SIZES = [25, 50, 100] as const

export type LicenseSort = (typeof SORTS)[number]
export type PageSize = (typeof PAGE_SIZES)[number]

export interface LicenseFilters {
  q: string // search: key, customer name word, email or product prefix
  status: '' | LicenseStatus
  product: string
  sort: LicenseSort
  page: number // 1-based
  size: PageSize
}

export const DEFAULT_FILTERS: Readonly<LicenseFilters> = Object.freeze({
  q: '',
  status: '',
  product: '',
  sort: 'key',
  page: 1,
  size: 25,
})

const MAX_SEARCH = 200
const MAX_PAGE = 1_000_000
const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

// A route query value: vue-router gives string | null | (string | null)[].
type QueryValue = string | null | undefined | (string | null)[]

function first(v: QueryValue): string {
  if (Array.isArray(v)) v = v[0]
  return typeof v === 'string' ? v : ''
}

// filtersFromQuery reads the filter state from a route query.
export function filtersFromQuery(query: Record<string, QueryValue>): LicenseFilters {
  const f: LicenseFilters = { ...DEFAULT_FILTERS }
  const q = first(query.q).slice(0, MAX_SEARCH)
  if (q.trim() !== '') f.q = q
  const status = first(query.status)
  if ((STATUSES as readonly string[]).includes(status)) f.status = status as LicenseStatus
  const product = first(query.product)
  if (PRODUCT_ID.test(product)) f.product = product
  const sort = first(query.sort)
  if ((SORTS as readonly string[]).includes(sort)) f.sort = sort as LicenseSort
  const page = first(query.page)
  if (/^[0-9]{1,7}$/.test(page) && +page >= 1 && +page <= MAX_PAGE) f.page = +page
  const size = first(query.size)
  if ((PAGE_SIZES as readonly number[]).includes(+size) && /^[0-9]+$/.test(size)) f.size = +size as PageSize
  return f
}

// queryFromFilters writes the filter state as a route query, defaults left out.
export function queryFromFilters(f: LicenseFilters): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.q.trim() !== '') out.q = f.q
  if (f.status !== DEFAULT_FILTERS.status) out.status = f.status
  if (f.product !== DEFAULT_FILTERS.product) out.product = f.product
  if (f.sort !== DEFAULT_FILTERS.sort) out.sort = f.sort
  if (f.page !== DEFAULT_FILTERS.page) out.page = String(f.page)
  if (f.size !== DEFAULT_FILTERS.size) out.size = String(f.size)
  return out
}

// withChange applies a change to the filters; any change other than the page
// itself goes back to the first page (page 7 of another filter means nothing).
export function withChange(f: LicenseFilters, change: Partial<LicenseFilters>): LicenseFilters {
  const next = { ...f, ...change }
  const keys = Object.keys(change) as (keyof LicenseFilters)[]
  const other = keys.some((k) => k !== 'page' && change[k] !== f[k])
  if (other && change.page === undefined) next.page = 1
  return next
}

// isFiltered says whether anything narrows the list (the page and the order don't).
export function isFiltered(f: LicenseFilters): boolean {
  return f.q.trim() !== '' || f.status !== '' || f.product !== ''
}

// sameQuery compares two route queries as the filters they mean.
export function sameQuery(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])
}

// listParams turns the filter state into the licenses.list params.
export function listParams(f: LicenseFilters): LicenseQuery {
  const p: LicenseQuery = { sort: f.sort, offset: (f.page - 1) * f.size, limit: f.size }
  if (f.q.trim() !== '') p.search = f.q.trim()
  if (f.status !== '') p.status = f.status
  if (f.product !== '') p.product = f.product
  return p
}
