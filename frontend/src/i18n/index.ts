// vue-i18n set-up: every string the UI shows lives in src/locales/*.json.
import { createI18n } from 'vue-i18n'
import en from '../locales/en.json'

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
  })
}
