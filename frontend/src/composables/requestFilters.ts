// The customer requests screen's filter state and the route query that
// carries it (as activationFilters.ts does for activations): the state
// (default: pending — what waits for an admin) and the page. Defaults never
// appear in the URL; a bad value in a hand-edited URL is ignored.
import type { RequestQuery, RequestState } from '../api'

export const REQ_STATES = ['pending', 'approved', 'rejected'] as const
// The state filter as the screen offers it: 'all' is the backend's ''.
export type StateFilter = RequestState | 'all'
export const STATE_FILTERS: readonly StateFilter[] = ['pending', 'approved', 'rejected', 'all']
export const REQ_PAGE_SIZE = 25
export const MAX_REASON = 500 // portal.MaxReasonLen (characters)

export interface RequestFilters {
  state: StateFilter
  page: number // 1-based
}

export const DEFAULT_REQUEST_FILTERS: Readonly<RequestFilters> = Object.freeze({ state: 'pending', page: 1 })

type QueryValue = string | null | undefined | (string | null)[]
function first(v: QueryValue): string {
  if (Array.isArray(v)) v = v[0]
  return typeof v === 'string' ? v : ''
}

export function requestFiltersFromQuery(query: Record<string, QueryValue>): RequestFilters {
  const f: RequestFilters = { ...DEFAULT_REQUEST_FILTERS }
  const state = first(query.state)
  if ((STATE_FILTERS as readonly string[]).includes(state)) f.state = state as StateFilter
  const page = first(query.page)
  if (/^[0-9]{1,7}$/.test(page) && +page >= 1) f.page = +page
  return f
}

export function queryFromRequestFilters(f: RequestFilters): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.state !== DEFAULT_REQUEST_FILTERS.state) out.state = f.state
  if (f.page !== DEFAULT_REQUEST_FILTERS.page) out.page = String(f.page)
  return out
}

// requestListParams turns the filters into requests.list params.
export function requestListParams(f: RequestFilters, size = REQ_PAGE_SIZE): RequestQuery {
  return { state: f.state === 'all' ? '' : f.state, offset: (f.page - 1) * size, limit: size }
}

// reasonProblem checks a rejection's reason before sending (the backend
// trims it and wants 1 to 500 characters).
export function reasonProblem(reason: string): 'reason_required' | null {
  const n = [...reason.trim()].length
  return n === 0 || n > MAX_REASON ? 'reason_required' : null
}

// pendingLabel: the navigation's count as a badge text (99+ beyond 99; ''
// for none).
export function pendingBadge(n: number): string {
  if (!(n > 0)) return ''
  return n > 99 ? '99+' : String(n)
}
