import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { makeI18n, pickLocale } from './i18n'
import { makeRouter } from './router'

createApp(App)
  .use(createPinia())
  .use(makeI18n(pickLocale(navigator.languages ?? [navigator.language])))
  .use(makeRouter())
  .mount('#app')
