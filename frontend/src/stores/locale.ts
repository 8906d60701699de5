// The UI language: the OS/browser language by default (pickLocale), or the
// user's own choice from the language switch, kept in localStorage. Applying
// it sets vue-i18n's locale and <html lang>.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { messages, pickLocale, type Locale, type makeI18n } from '../i18n'

export const LOCALE_KEY = 'rp.locale'

export const locales: readonly Locale[] = Object.keys(messages) as Locale[]

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null // storage disabled
  }
}

// storedLocale is the user's saved choice, if any (and still supported).
export function storedLocale(store: Storage | null = storage()): Locale | null {
  const v = store?.getItem(LOCALE_KEY) ?? null
  return v !== null && (locales as readonly string[]).includes(v) ? (v as Locale) : null
}

// systemLocale follows the OS/browser language list.
export function systemLocale(nav: Pick<Navigator, 'languages' | 'language'> | undefined = globalThis.navigator): Locale {
  if (!nav) return 'en'
  return pickLocale(nav.languages?.length ? nav.languages : [nav.language ?? ''])
}

// initialLocale is the saved choice, else the system's.
export function initialLocale(): Locale {
  return storedLocale() ?? systemLocale()
}

export const useLocaleStore = defineStore('locale', () => {
  const locale = ref<Locale>(initialLocale())
  // chosen is true when the user picked the language (not the system).
  const chosen = ref(storedLocale() !== null)
  // Composition mode (legacy: false): global.locale is a ref.
  let global: { locale: { value: string } } | null = null

  function apply(): void {
    if (global) global.locale.value = locale.value
    if (typeof document !== 'undefined') document.documentElement.lang = locale.value
  }

  // attach binds the app's i18n instance and applies the current locale.
  function attach(i18n: ReturnType<typeof makeI18n>): void {
    global = i18n.global as unknown as { locale: { value: string } }
    apply()
  }

  // choose switches the language and remembers the choice.
  function choose(l: Locale): void {
    locale.value = l
    chosen.value = true
    try {
      storage()?.setItem(LOCALE_KEY, l)
    } catch {
      // storage full or disabled: the choice holds for this session only
    }
    apply()
  }

  // followSystem forgets the choice and goes back to the system language.
  function followSystem(): void {
    try {
      storage()?.removeItem(LOCALE_KEY)
    } catch {
      // nothing saved
    }
    chosen.value = false
    locale.value = systemLocale()
    apply()
  }

  return { locale, chosen, attach, choose, followSystem }
})
