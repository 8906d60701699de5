import { describe, expect, it } from 'vitest'
import {
  DEFAULT_FILTERS,
  filtersFromQuery,
  isDate,
  isFiltered,
  listParams,
  normLicense,
  queryFromFilters,
  sameQuery,
  startOfDay,
  withChange,
  type ActivationFilters,
} from '../src/composables/activationFilters'

// The UTC string of local midnight, computed the way a reader would.
const midnight = (y: number, m: number, d: number) => new Date(y, m - 1, d).toISOString().replace('.000Z', 'Z')

describe('activation filters ↔ route query', () => {
  it('reads an empty query as the defaults and writes the defaults as an empty query', () => {
    expect(filtersFromQuery({})).toEqual(DEFAULT_FILTERS)
    expect(queryFromFilters({ ...DEFAULT_FILTERS })).toEqual({})
  })

  it('round-trips query → state → query', () => {
    const query = { license: 'RP-ABCD-1234', customer: 'u3', status: 'deactivated', from: '2026-01-01', to: '2026-02-28', page: '2', size: '100' }
    const f = filtersFromQuery(query)
    expect(f).toEqual({ license: 'RP-ABCD-1234', customer: 'u3', status: 'deactivated', from: '2026-01-01', to: '2026-02-28', page: 2, size: 100 })
    expect(queryFromFilters(f)).toEqual(query)
  })

  it('round-trips state → query → state', () => {
    const f: ActivationFilters = { license: 'K-1', customer: 'o12', status: 'active', from: '2025-12-31', to: '', page: 7, size: 50 }
    expect(filtersFromQuery(queryFromFilters(f))).toEqual(f)
  })

  it('leaves defaults out of the URL', () => {
    expect(queryFromFilters({ ...DEFAULT_FILTERS, status: 'active' })).toEqual({ status: 'active' })
    expect(queryFromFilters({ ...DEFAULT_FILTERS, license: '  ', page: 1, size: 25 })).toEqual({})
  })

  it('normalizes a typed key: trimmed, upper-case', () => {
    expect(filtersFromQuery({ license: ' rp-ab-12 ' }).license).toBe('RP-AB-12')
    expect(queryFromFilters({ ...DEFAULT_FILTERS, license: 'rp-ab-12 ' })).toEqual({ license: 'RP-AB-12' })
    expect(normLicense('RP AB')).toBe('')
  })

  it('ignores bad values and keeps the good ones', () => {
    const f = filtersFromQuery({
      license: '<b>x</b>',
      customer: 'x7',
      status: 'expired',
      from: '2026-02-30',
      to: 'yesterday',
      page: '-2',
      size: '33',
    })
    expect(f).toEqual(DEFAULT_FILTERS)
    expect(filtersFromQuery({ customer: 'U5' }).customer).toBe('u5')
    expect(filtersFromQuery({ customer: 'u0' }).customer).toBe('')
    expect(filtersFromQuery({ customer: 'u5; drop' }).customer).toBe('')
    expect(filtersFromQuery({ status: 'active', page: '0' })).toEqual({ ...DEFAULT_FILTERS, status: 'active' })
    expect(filtersFromQuery({ page: '2.5' }).page).toBe(1)
    expect(filtersFromQuery({ page: '1e3' }).page).toBe(1)
    expect(filtersFromQuery({ size: '050' }).size).toBe(50)
    expect(filtersFromQuery({ size: ' 50' }).size).toBe(25)
    expect(filtersFromQuery({ license: 'K'.repeat(65) }).license).toBe('')
  })

  it('takes the first of a repeated parameter and skips nulls', () => {
    expect(filtersFromQuery({ status: ['active', 'deactivated'], license: null }).status).toBe('active')
    expect(filtersFromQuery({ status: [null, 'active'] }).status).toBe('')
  })

  it('checks dates against the calendar', () => {
    expect(isDate('2024-02-29')).toBe(true)
    expect(isDate('2025-02-29')).toBe(false)
    expect(isDate('2025-04-31')).toBe(false)
    expect(isDate('2025-13-01')).toBe(false)
    expect(isDate('2025-1-01')).toBe(false)
    expect(isDate('1969-12-31')).toBe(false)
  })
})

describe('withChange', () => {
  const on3: ActivationFilters = { ...DEFAULT_FILTERS, page: 3 }

  it('goes back to page 1 when a filter changes', () => {
    expect(withChange(on3, { license: 'K-1' }).page).toBe(1)
    expect(withChange(on3, { customer: 'u1' }).page).toBe(1)
    expect(withChange(on3, { status: 'active' }).page).toBe(1)
    expect(withChange(on3, { from: '2026-01-01' }).page).toBe(1)
    expect(withChange(on3, { to: '2026-01-01' }).page).toBe(1)
    expect(withChange(on3, { size: 100 }).page).toBe(1)
  })

  it('keeps the page when nothing else changes', () => {
    expect(withChange(on3, { page: 4 }).page).toBe(4)
    expect(withChange(on3, { status: '' }).page).toBe(3)
    expect(withChange(on3, { customer: '' }).page).toBe(3)
  })

  it('keeps an explicit page given with the change', () => {
    expect(withChange(on3, { status: 'active', page: 2 })).toEqual({ ...DEFAULT_FILTERS, status: 'active', page: 2 })
  })
})

describe('listParams and helpers', () => {
  it('asks for one row more than the page, at the page offset', () => {
    expect(listParams({ ...DEFAULT_FILTERS })).toEqual({ offset: 0, limit: 26 })
    expect(listParams({ ...DEFAULT_FILTERS, page: 3, size: 50 })).toEqual({ offset: 100, limit: 51 })
  })

  it('passes the filters, dates as RFC 3339 UTC: from at or after, to before the next day', () => {
    const p = listParams({ license: 'rp-a', customer: 'o2', status: 'deactivated', from: '2026-03-01', to: '2026-03-31', page: 1, size: 25 })
    expect(p).toEqual({
      license: 'RP-A',
      customer: 'o2',
      status: 'deactivated',
      from: midnight(2026, 3, 1),
      to: midnight(2026, 4, 1),
      offset: 0,
      limit: 26,
    })
    expect(p.from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
  })

  it('goes past the end of a month and a year', () => {
    expect(startOfDay('2025-12-31', 1)).toBe(midnight(2026, 1, 1))
    expect(startOfDay('2024-02-28', 1)).toBe(midnight(2024, 2, 29))
  })

  it('says whether the list is narrowed', () => {
    expect(isFiltered({ ...DEFAULT_FILTERS, page: 4, size: 100 })).toBe(false)
    expect(isFiltered({ ...DEFAULT_FILTERS, to: '2026-01-01' })).toBe(true)
    expect(isFiltered({ ...DEFAULT_FILTERS, customer: 'u1' })).toBe(true)
  })

  it('compares queries by content', () => {
    expect(sameQuery({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true)
    expect(sameQuery({ a: '1' }, { a: '1', b: '2' })).toBe(false)
  })
})
