import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { makeI18n } from './i18n'
import { makeRouter } from './router'
import { initialLocale, useLocaleStore } from './stores/locale'

// The language: the user's saved choice, else the OS/browser's (see stores/locale.ts).
const pinia = createPinia()
const i18n = makeI18n(initialLocale())
useLocaleStore(pinia).attach(i18n)

createApp(App).use(pinia).use(i18n).use(makeRouter()).mount('#app')
