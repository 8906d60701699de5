import { describe, expect, it } from 'vitest'
import { makeI18n, messages, pickLocale } from '../src/i18n'
import { problemText } from '../src/i18n/problem'

describe('locales', () => {
  it('picks a supported language and falls back to English', () => {
    expect(pickLocale(['en-GB'])).toBe('en')
    expect(pickLocale(['xx-YY', 'EN'])).toBe('en')
    expect(pickLocale([])).toBe('en')
  })

  it('names the product', () => {
    const { t } = makeI18n().global
    expect(t('app.name')).toBe('Reseller Portal')
  })

  it('maps a known code to its message and an unknown one to the backend message', () => {
    const { t, te } = makeI18n().global
    const tt = (k: string) => t(k)
    const has = (k: string) => te(k)
    expect(problemText(tt, has, { code: 'wrong_password', message: 'x' })).toBe(messages.en.errors.wrong_password)
    expect(problemText(tt, has, { code: 'brand_new_code', message: 'the backend says why' })).toBe('the backend says why')
    expect(problemText(tt, has, { code: 'brand_new_code', message: '' })).toBe(messages.en.errors.unknown)
    expect(problemText(tt, has, null)).toBe('')
  })

  it('has no empty strings', () => {
    const walk = (o: Record<string, unknown>, path: string): void => {
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === 'string') expect(v.trim(), `${path}${k}`).not.toBe('')
        else walk(v as Record<string, unknown>, `${path}${k}.`)
      }
    }
    walk(messages.en, '')
  })
})
