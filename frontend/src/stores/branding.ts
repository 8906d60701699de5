// The reseller's company name and logo (public `branding` op), shown in the
// header and on the sign-in screen.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { call, type Branding } from '../api'

export const useBrandingStore = defineStore('branding', () => {
  const branding = ref<Branding | null>(null)

  async function load(): Promise<void> {
    const r = await call('branding')
    if (r.ok && r.data) branding.value = r.data
  }

  // logoURL is a data: URL (the CSP allows data: images) or null.
  const logoURL = computed(() => {
    const b = branding.value
    if (!b?.logo || !/^image\/(png|jpeg)$/.test(b.logo_type)) return null
    return `data:${b.logo_type};base64,${b.logo}`
  })
  const company = computed(() => branding.value?.company ?? '')

  return { branding, company, logoURL, load }
})
