// Every stable error code that the backend can send to the UI has a message
// in the English locale, so no screen ever falls back to a raw code.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { messages } from '../src/i18n'

const backend = fileURLToPath(new URL('../../backend', import.meta.url))

// The packages whose errors reach the UI through the rpc dispatcher or the
// desktop binding (the publisher tool and the client library do not).
const reachable = ['demo', 'desktop', 'portal', 'qr', 'rpc', 'seal', 'signdoc', 'store', 'webserve']

function goFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'testdata' ? [] : goFiles(path)
    return name.endsWith('.go') && !name.endsWith('_test.go') ? [path] : []
  })
}

function backendCodes(): Map<string, string> {
  const codes = new Map<string, string>()
  for (const pkg of reachable) {
    for (const file of goFiles(join(backend, pkg))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/reply\.New\("([a-z0-9_]+)"/g)) {
        codes.set(m[1], `${pkg}/${file.split('/').pop()}`)
      }
    }
  }
  return codes
}

describe('error codes', () => {
  it('finds the backend codes', () => {
    const codes = backendCodes()
    expect(codes.size).toBeGreaterThan(20)
    expect(codes.has('database_in_use')).toBe(true)
  })

  it('has an English message for every code the backend can send', () => {
    const errors = messages.en.errors as Record<string, string>
    const missing = [...backendCodes()].filter(([code]) => !(code in errors)).map(([code, where]) => `${code} (${where})`)
    expect(missing, 'add these codes to frontend/src/locales/en.json "errors"').toEqual([])
  })
})
