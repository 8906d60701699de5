// German and English hold the same keys, file by file, with non-empty texts
// and the same {placeholders}; every error code the backend can send has a
// German message; the language follows the saved choice, then the system.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPinia, setActivePinia } from 'pinia'
import { unref } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { makeI18n, messages, pickLocale } from '../src/i18n'
import { LOCALE_KEY, storedLocale, systemLocale, useLocaleStore } from '../src/stores/locale'

const locales = fileURLToPath(new URL('../src/locales', import.meta.url))
const backend = fileURLToPath(new URL('../../backend', import.meta.url))

type Tree = { [k: string]: string | Tree }

// flat maps every leaf key ("a.b.c") to its text.
function flat(o: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(prefix + k, v)
    else flat(v, `${prefix}${k}.`, out)
  }
  return out
}

const read = (path: string): Tree => JSON.parse(readFileSync(path, 'utf8')) as Tree

// The locale files in pairs: en.json/de.json and en/X.json/de/X.json.
function pairs(): { name: string; en: string; de: string }[] {
  const areas = (lang: string) => readdirSync(join(locales, lang)).filter((f) => f.endsWith('.json'))
  const names = [...new Set([...areas('en'), ...areas('de')])].sort()
  return [
    { name: 'en.json / de.json', en: join(locales, 'en.json'), de: join(locales, 'de.json') },
    ...names.map((f) => ({ name: `en/${f} / de/${f}`, en: join(locales, 'en', f), de: join(locales, 'de', f) })),
  ]
}

// placeholders lists the named {x} of a message ({'@'} literals are not names).
const placeholders = (s: string) => [...s.matchAll(/\{\s*([A-Za-z_][\w]*)\s*\}/g)].map((m) => m[1]).sort()
// plural forms are separated by " | ".
const forms = (s: string) => s.split(/\s\|\s/).length

// The same scan as tests/codes.test.ts: reply.New("code" in the packages whose
// errors reach the UI.
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
  for (const pkg of reachable)
    for (const file of goFiles(join(backend, pkg)))
      for (const m of readFileSync(file, 'utf8').matchAll(/reply\.New\("([a-z0-9_]+)"/g)) codes.set(m[1], `${pkg}/${file.split('/').pop()}`)
  return codes
}

describe('German and English locale files', () => {
  const all = pairs()

  it('come in pairs', () => {
    const missing = all.filter((p) => !existsSync(p.en) || !existsSync(p.de)).map((p) => p.name)
    expect(missing, 'each en/X.json needs a de/X.json and the other way round').toEqual([])
  })

  for (const p of all) {
    describe(p.name, () => {
      const en = existsSync(p.en) ? flat(read(p.en)) : new Map<string, string>()
      const de = existsSync(p.de) ? flat(read(p.de)) : new Map<string, string>()

      it('hold the same keys', () => {
        expect([...en.keys()].filter((k) => !de.has(k)), 'missing in German').toEqual([])
        expect([...de.keys()].filter((k) => !en.has(k)), 'missing in English').toEqual([])
      })

      it('have no empty texts', () => {
        const empty = [...en, ...[...de].map(([k, v]) => [`de:${k}`, v] as const)].filter(([, v]) => v.trim() === '').map(([k]) => k)
        expect(empty).toEqual([])
      })

      it('use the same placeholders and plural forms', () => {
        const differ = [...en]
          .filter(([k]) => de.has(k))
          .filter(([k, v]) => placeholders(v).join() !== placeholders(de.get(k)!).join() || forms(v) !== forms(de.get(k)!))
          .map(([k, v]) => `${k}: en {${placeholders(v).join(', ')}} / de {${placeholders(de.get(k)!).join(', ')}}`)
        expect(differ).toEqual([])
      })
    })
  }

  it('merge to the same messages', () => {
    const en = flat(messages.en as unknown as Tree)
    const de = flat(messages.de as unknown as Tree)
    expect([...en.keys()].filter((k) => !de.has(k)), 'add the German file to src/i18n/index.ts').toEqual([])
    expect(de.size).toBe(en.size)
  })

  it('have a German message for every code the backend can send', () => {
    const errors = messages.de.errors as Record<string, string>
    const missing = [...backendCodes()].filter(([code]) => !(code in errors)).map(([code, where]) => `${code} (${where})`)
    expect(missing, 'add these codes to frontend/src/locales/de.json "errors"').toEqual([])
  })
})

describe('German formats', () => {
  it('spells dates and numbers the German way', () => {
    const { d, n, t, locale } = makeI18n('de').global
    expect(unref(locale)).toBe('de')
    expect(d(new Date(2026, 11, 1), 'date')).toBe('1. Dez. 2026')
    expect(n(1234.5, 'decimal')).toBe('1.234,5')
    expect(n(1234)).toBe('1.234')
    expect(t('signin.submit')).toBe('Anmelden')
    expect(t('shell.dashboard')).toBe('Übersicht')
  })

  it('keeps English formats in English', () => {
    const { d, n } = makeI18n('en').global
    expect(d(new Date(2026, 11, 1), 'date')).toBe('Dec 1, 2026')
    expect(n(1234.5, 'decimal')).toBe('1,234.5')
  })
})

describe('choosing the language', () => {
  // The tests run in node: a Map-backed localStorage and a bare <html>.
  beforeEach(() => {
    setActivePinia(createPinia())
    const items = new Map<string, string>()
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, String(v)),
      removeItem: (k: string) => void items.delete(k),
      clear: () => items.clear(),
    })
    vi.stubGlobal('document', { documentElement: { lang: '' } })
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('picks German for any German tag, else English', () => {
    expect(pickLocale(['de-DE'])).toBe('de')
    expect(pickLocale(['de-AT', 'en-US'])).toBe('de')
    expect(pickLocale(['DE'])).toBe('de')
    expect(pickLocale(['fr-FR', 'de-CH'])).toBe('de')
    expect(pickLocale(['fr-FR', 'en-GB', 'de'])).toBe('en')
    expect(pickLocale(['fr-FR'])).toBe('en')
    expect(systemLocale({ languages: ['de-DE'], language: 'de-DE' })).toBe('de')
    expect(systemLocale({ languages: [], language: 'de' })).toBe('de')
  })

  it('remembers the choice and applies it to vue-i18n and <html lang>', () => {
    const i18n = makeI18n('en')
    const store = useLocaleStore()
    store.attach(i18n)
    store.choose('de')
    expect(i18n.global.t('signin.submit')).toBe('Anmelden')
    expect(document.documentElement.lang).toBe('de')
    expect(localStorage.getItem(LOCALE_KEY)).toBe('de')
    expect(storedLocale()).toBe('de')
    store.choose('en')
    expect(i18n.global.t('signin.submit')).toBe('Sign in')
    expect(document.documentElement.lang).toBe('en')
  })

  it('ignores an unsupported saved value and can follow the system again', () => {
    localStorage.setItem(LOCALE_KEY, 'xx')
    expect(storedLocale()).toBe(null)
    const store = useLocaleStore()
    store.choose('de')
    store.followSystem()
    expect(localStorage.getItem(LOCALE_KEY)).toBe(null)
    expect(store.chosen).toBe(false)
  })
})
