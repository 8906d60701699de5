// vue-i18n set-up: every string the UI shows lives in src/locales/, in
// English (en.json, en/) and German (de.json, de/). The
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
import audit from '../locales/en/audit.json'
import settings from '../locales/en/settings.json'
import customerPortal from '../locales/en/customerPortal.json'
import requests from '../locales/en/requests.json'
import deBase from '../locales/de.json'
import deShell from '../locales/de/shell.json'
import deDashboard from '../locales/de/dashboard.json'
import deEnroll from '../locales/de/enroll.json'
import deLicenses from '../locales/de/licenses.json'
import deCustomers from '../locales/de/customers.json'
import deDocs from '../locales/de/docs.json'
import deBatch from '../locales/de/batch.json'
import deActivations from '../locales/de/activations.json'
import deActivation from '../locales/de/activation.json'
import deSettings from '../locales/de/settings.json'
import deAudit from '../locales/de/audit.json'
import deCustomerPortal from '../locales/de/customerPortal.json'
import deRequests from '../locales/de/requests.json'

const en = { ...base, ...shell, ...dashboard, ...enroll, ...licenses, ...customers, ...docs, ...activations, ...activation, ...batch, ...settings, ...audit, ...customerPortal, ...requests }

// German mirrors English file by file and key by key (de.json, de/*.json).
// tests/locales.test.ts fails on a key missing in either language, so the
// type here stays English's: an English string may land before its German.
const de = { ...deBase, ...deShell, ...deDashboard, ...deEnroll, ...deLicenses, ...deCustomers, ...deDocs, ...deActivations, ...deActivation, ...deBatch, ...deSettings, ...deAudit, ...deCustomerPortal, ...deRequests }

export type MessageSchema = typeof en

export const messages = { en, de: de as MessageSchema } satisfies Record<string, MessageSchema>

export type Locale = keyof typeof messages

// pickLocale chooses the first supported language the user prefers.
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0]
    if (base in messages) return base as Locale
  }
  return 'en'
}

// The same formats in each language; Intl spells them for the locale
// ("Dec 1, 2026" / "1. Dez. 2026", "1,234.5" / "1.234,5").
const datetimeFormats = {
  date: { year: 'numeric', month: 'short', day: 'numeric' },
  datetime: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
} as const
const numberFormats = {
  integer: { maximumFractionDigits: 0 },
  decimal: { minimumFractionDigits: 1, maximumFractionDigits: 1 },
} as const

export function makeI18n(locale: Locale = 'en') {
  return createI18n<[MessageSchema], Locale>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages,
    datetimeFormats: { en: datetimeFormats, de: datetimeFormats },
    numberFormats: { en: numberFormats, de: numberFormats },
  })
}
