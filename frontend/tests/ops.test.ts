// The typed table of operations (src/api/ops.ts) against ops.json, which a
// Go test writes from the real dispatcher: every op the UI calls exists, its
// params fields are the Go struct's JSON names, and every Go field the UI
// does not send is listed here with the reason.
import { describe, expect, it } from 'vitest'
import dump from '../src/api/ops.json'
import { OP_FIELDS } from '../src/api'

const ops = dump.ops as Record<string, { public: boolean; params: string[] }>

// Fields of the Go params the UI never sends, on purpose.
const UNSENT: Record<string, string[]> = {
  'orgs.create': ['id'], // the portal chooses the id (sending one is refused)
}

describe('ops table', () => {
  it('names only operations the backend has', () => {
    expect(Object.keys(OP_FIELDS).filter((op) => !(op in ops))).toEqual([])
  })

  it('sends only fields the Go structs have, and lists every one it leaves out', () => {
    for (const [op, fields] of Object.entries(OP_FIELDS) as [string, string[]][]) {
      const goFields = ops[op].params
      expect(fields.filter((f) => !goFields.includes(f)), `${op}: fields the backend does not know`).toEqual([])
      expect(goFields.filter((f) => !fields.includes(f)).sort(), `${op}: Go fields the table leaves out`).toEqual([...(UNSENT[op] ?? [])].sort())
    }
  })

  it('agrees on which operations need no session', () => {
    const publicOps = Object.keys(OP_FIELDS).filter((op) => ops[op].public).sort()
    expect(publicOps).toEqual(['branding', 'customers.redeem', 'customers.signin', 'demo.leave', 'demo.start', 'setup', 'signin', 'signout', 'status'])
  })
})
