// vue-i18n set-up: every string the UI shows lives in src/locales/. The
// first-run strings and every error code are in en.json; each area of the
// signed-in app has its own file in en/ (one top-level key per file).
import { createI18n } from 'vue-i18n'
import base from '../locales/en.json'
import shell from '../locales/en/shell.json'
import dashboard from '../locales/en/dashboard.json'
import enroll from '../locales/en/enroll.json'
import licenses from '../locales/en/licenses.json'
import customers from '../locales/en/customers.json'
import docs from '../locales/en/docs.json'
import batch from '../locales/en/batch.json'
import activations from '../locales/en/activations.json'
import activation from '../locales/en/activation.json'

const en = { ...base, ...shell, ...dashboard, ...enroll, ...licenses, ...customers, ...docs, ...activations, ...activation, ...batch }

export type MessageSchema = typeof en

export const messages = { en } satisfies Record<string, MessageSchema>

export type Locale = keyof typeof messages

// pickLocale chooses the first supported language the user prefers.
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0]
    if (base in messages) return base as Locale
  }
  return 'en'
}

export function makeI18n(locale: Locale = 'en') {
  return createI18n<[MessageSchema], Locale>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages,
    datetimeFormats: {
      en: {
        date: { year: 'numeric', month: 'short', day: 'numeric' },
        datetime: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
      },
    },
  })
}
