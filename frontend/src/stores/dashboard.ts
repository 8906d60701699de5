// The home screen's figures: one `dashboard` call answers them all.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, type Dashboard } from '../api'
import { problemOf, type Problem } from './session'

export const useDashboardStore = defineStore('dashboard', () => {
  const data = ref<Dashboard | null>(null)
  const loading = ref(false)
  const problem = ref<Problem | null>(null)

  async function load(): Promise<void> {
    loading.value = data.value === null
    problem.value = null
    const r = await call('dashboard')
    loading.value = false
    if (r.ok && r.data) data.value = r.data
    else problem.value = problemOf(r)
  }

  return { data, loading, problem, load }
})
