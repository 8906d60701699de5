// The portal's enrollment with its publisher: request out, certificate in,
// and the certificate's validity (the shell's banner reads it).
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { call, type DocParams, type Document, type Enrollment, type Reply } from '../api'

export const DAY_MS = 24 * 60 * 60 * 1000
export const EXPIRY_WARNING_DAYS = 30

export type CertState = 'unknown' | 'not_enrolled' | 'ok' | 'expiring' | 'expired'

// certState says what the banner must say about an enrollment at time now.
export function certState(e: Enrollment | null, now: number): { state: CertState; days: number } {
  if (e === null) return { state: 'unknown', days: 0 }
  if (!e.enrolled || !e.not_after) return { state: 'not_enrolled', days: 0 }
  const left = Date.parse(e.not_after) - now
  const days = Math.floor(left / DAY_MS)
  if (left <= 0) return { state: 'expired', days: 0 }
  if (days < EXPIRY_WARNING_DAYS) return { state: 'expiring', days }
  return { state: 'ok', days }
}

export const useEnrollmentStore = defineStore('enrollment', () => {
  const enrollment = ref<Enrollment | null>(null)
  const loading = ref(false)

  async function load(): Promise<Reply<Enrollment>> {
    loading.value = true
    try {
      const r = await call('enroll.status')
      if (r.ok && r.data) enrollment.value = r.data
      return r
    } finally {
      loading.value = false
    }
  }

  const request = (): Promise<Reply<Document>> => call('enroll.request')

  async function complete(doc: DocParams): Promise<Reply<Enrollment>> {
    const r = await call('enroll.complete', doc)
    if (r.ok && r.data) enrollment.value = r.data
    return r
  }

  const cert = computed(() => certState(enrollment.value, Date.now()))

  function reset(): void {
    enrollment.value = null
  }

  return { enrollment, loading, cert, load, request, complete, reset }
})
