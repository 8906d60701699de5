import { describe, expect, it } from 'vitest'
import {
  DEFAULT_FILTERS,
  filtersFromQuery,
  isFiltered,
  listParams,
  queryFromFilters,
  sameQuery,
  withChange,
  type LicenseFilters,
} from '../src/composables/licenseFilters'

describe('license filters ↔ route query', () => {
  it('reads an empty query as the defaults and writes the defaults as an empty query', () => {
    expect(filtersFromQuery({})).toEqual(DEFAULT_FILTERS)
    expect(queryFromFilters({ ...DEFAULT_FILTERS })).toEqual({})
  })

  it('round-trips query → state → query', () => {
    const query = { q: 'carol', status: 'assigned', product: 'cad-pro', sort: 'expires', page: '3', size: '50' }
    const f = filtersFromQuery(query)
    expect(f).toEqual({ q: 'carol', status: 'assigned', product: 'cad-pro', sort: 'expires', page: 3, size: 50 })
    expect(queryFromFilters(f)).toEqual(query)
  })

  it('round-trips state → query → state', () => {
    const f: LicenseFilters = { q: 'RP-AB', status: 'expired', product: 'viewer', sort: 'key', page: 2, size: 100 }
    expect(filtersFromQuery(queryFromFilters(f))).toEqual(f)
  })

  it('leaves defaults out of the URL', () => {
    expect(queryFromFilters({ ...DEFAULT_FILTERS, status: 'active' })).toEqual({ status: 'active' })
    expect(queryFromFilters({ ...DEFAULT_FILTERS, sort: 'key', page: 1, size: 25, q: '  ' })).toEqual({})
  })

  it('ignores bad values and keeps the good ones', () => {
    const f = filtersFromQuery({ status: 'bogus', sort: 'price', page: '-2', size: '33', product: '<b>x</b>', q: 'ok' })
    expect(f).toEqual({ ...DEFAULT_FILTERS, q: 'ok' })
    expect(filtersFromQuery({ page: '0' }).page).toBe(1)
    expect(filtersFromQuery({ page: '2.5' }).page).toBe(1)
    expect(filtersFromQuery({ page: '1e3' }).page).toBe(1)
    expect(filtersFromQuery({ size: '050' }).size).toBe(50)
    expect(filtersFromQuery({ size: ' 50' }).size).toBe(25)
  })

  it('takes the first of a repeated parameter and skips nulls', () => {
    expect(filtersFromQuery({ status: ['active', 'expired'], q: null }).status).toBe('active')
    expect(filtersFromQuery({ status: [null, 'expired'] }).status).toBe('')
  })

  it('bounds the search text', () => {
    expect(filtersFromQuery({ q: 'x'.repeat(500) }).q).toHaveLength(200)
  })
})

describe('withChange', () => {
  const on3: LicenseFilters = { ...DEFAULT_FILTERS, page: 3 }

  it('goes back to page 1 when a filter changes', () => {
    expect(withChange(on3, { q: 'bob' }).page).toBe(1)
    expect(withChange(on3, { status: 'available' }).page).toBe(1)
    expect(withChange(on3, { product: 'viewer' }).page).toBe(1)
    expect(withChange(on3, { sort: 'expires' }).page).toBe(1)
    expect(withChange(on3, { size: 100 }).page).toBe(1)
  })

  it('keeps the page when nothing else changes', () => {
    expect(withChange(on3, { page: 4 }).page).toBe(4)
    expect(withChange(on3, { status: '' }).page).toBe(3)
    expect(withChange(on3, { q: '' }).page).toBe(3)
  })

  it('keeps an explicit page given with the change', () => {
    expect(withChange(on3, { status: 'active', page: 2 })).toEqual({ ...DEFAULT_FILTERS, status: 'active', page: 2 })
  })
})

describe('listParams and helpers', () => {
  it('turns the state into licenses.list params', () => {
    expect(listParams({ ...DEFAULT_FILTERS })).toEqual({ sort: 'key', offset: 0, limit: 25 })
    expect(listParams({ q: ' carol ', status: 'assigned', product: 'viewer', sort: 'expires', page: 3, size: 50 })).toEqual({
      search: 'carol',
      status: 'assigned',
      product: 'viewer',
      sort: 'expires',
      offset: 100,
      limit: 50,
    })
  })

  it('says whether the list is narrowed', () => {
    expect(isFiltered({ ...DEFAULT_FILTERS, page: 4, sort: 'expires' })).toBe(false)
    expect(isFiltered({ ...DEFAULT_FILTERS, product: 'viewer' })).toBe(true)
  })

  it('compares queries by content', () => {
    expect(sameQuery({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true)
    expect(sameQuery({ a: '1' }, { a: '1', b: '2' })).toBe(false)
  })
})
