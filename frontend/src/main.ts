import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { makeI18n, pickLocale } from './i18n'

createApp(App)
  .use(createPinia())
  .use(makeI18n(pickLocale(navigator.languages ?? [navigator.language])))
  .mount('#app')
