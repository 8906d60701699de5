import { describe, expect, it } from 'vitest'
import {
  DEFAULT_FILTERS,
  brokenAt,
  filtersFromQuery,
  isFiltered,
  listParams,
  queryFromFilters,
  sameQuery,
  shorten,
  withChange,
  type AuditFilters,
} from '../src/composables/auditFilters'

describe('audit filters ↔ route query', () => {
  it('reads an empty query as the defaults and writes the defaults as an empty query', () => {
    expect(filtersFromQuery({})).toEqual(DEFAULT_FILTERS)
    expect(queryFromFilters({ ...DEFAULT_FILTERS })).toEqual({})
  })

  it('round-trips query → state → query', () => {
    const query = { action: 'license.import', actor: 'alice@example.com', before: '120', size: '100' }
    const f = filtersFromQuery(query)
    expect(f).toEqual({ action: 'license.import', actor: 'alice@example.com', before: 120, size: 100 })
    expect(queryFromFilters(f)).toEqual(query)
  })

  it('ignores values a hand-edited URL may hold', () => {
    const bad = [
      { action: 'License Import' },
      { action: '<script>' },
      { action: 'x'.repeat(65) },
      { actor: 'bob smith' },
      { actor: 'a'.repeat(65) },
      { before: '0' },
      { before: '-3' },
      { before: '1e3' },
      { before: '99999999999999999' },
      { size: '10' },
      { size: 'all' },
    ]
    for (const q of bad) expect(filtersFromQuery(q), JSON.stringify(q)).toEqual(DEFAULT_FILTERS)
  })

  it('takes the first of repeated values and trims', () => {
    expect(filtersFromQuery({ action: ['user.create', 'org.create'], actor: [' bob '] })).toMatchObject({ action: 'user.create', actor: 'bob' })
    expect(filtersFromQuery({ action: [null], actor: null })).toEqual(DEFAULT_FILTERS)
  })

  it('goes back to the newest entries on a filter change, not on paging', () => {
    const f: AuditFilters = { ...DEFAULT_FILTERS, action: 'user.create', before: 40 }
    expect(withChange(f, { actor: 'bob' }).before).toBe(0)
    expect(withChange(f, { size: 50 }).before).toBe(0)
    expect(withChange(f, { before: 12 })).toEqual({ ...f, before: 12 })
    expect(withChange(f, { action: 'user.create' }).before).toBe(40) // no change
    expect(withChange(f, { action: 'org.create', before: 7 }).before).toBe(7)
  })

  it('says when the list is filtered', () => {
    expect(isFiltered(DEFAULT_FILTERS)).toBe(false)
    expect(isFiltered({ ...DEFAULT_FILTERS, before: 9 })).toBe(false)
    expect(isFiltered({ ...DEFAULT_FILTERS, actor: 'alice' })).toBe(true)
  })

  it('makes the audit.list params', () => {
    expect(listParams(DEFAULT_FILTERS)).toEqual({ limit: 25 })
    expect(listParams({ action: 'org.delete', actor: 'bob', before: 33, size: 50 })).toEqual({ action: 'org.delete', actor: 'bob', before: 33, limit: 50 })
  })

  it('compares queries by meaning', () => {
    expect(sameQuery({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true)
    expect(sameQuery({ a: '1' }, { a: '1', b: '2' })).toBe(false)
  })
})

describe('a broken chain in words', () => {
  it('reads the first bad entry from the backend message', () => {
    const pre = 'audit log hash chain is broken: '
    expect(brokenAt(pre + 'entry 5 was altered')).toEqual({ seq: 5, kind: 'altered' })
    expect(brokenAt(pre + 'entry 12 cannot be read')).toEqual({ seq: 12, kind: 'unreadable' })
    expect(brokenAt(pre + 'entry 3 missing or out of order (found 4)')).toEqual({ seq: 3, kind: 'missing' })
    expect(brokenAt(pre + 'entry 8 does not follow entry 7')).toEqual({ seq: 8, kind: 'unlinked' })
    expect(brokenAt(pre + 'the last entries were removed (log ends at 41)')).toEqual({ seq: 41, kind: 'truncated' })
    expect(brokenAt(pre.trim())).toEqual({ seq: 0, kind: 'unknown' })
  })

  it('shortens long details', () => {
    expect(shorten('short')).toBe('short')
    const long = 'x'.repeat(100)
    expect(shorten(long)).toHaveLength(60)
    expect(shorten(long).endsWith('…')).toBe(true)
  })
})
