// Activations: the server-paged list (last request wins; one row more than
// the page is asked for to know whether a next page exists), CSV export and
// the signed activation report for the publisher.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, type Activation, type ActivationQuery, type ReportResult, type Reply } from '../api'
import { problemOf, type Problem } from './session'

export const useActivationsStore = defineStore('activations', () => {
  const items = ref<Activation[]>([])
  const hasMore = ref(false)
  const loading = ref(false)
  const loaded = ref(false) // a page was shown at least once
  const problem = ref<Problem | null>(null)
  const unknownLicense = ref('') // the license filter names no license
  const shownFor = ref('') // the params of the page shown, as JSON
  let seq = 0

  async function list(params: ActivationQuery): Promise<void> {
    const mine = ++seq
    loading.value = true
    const r = await call('activations.list', params)
    if (mine !== seq) return
    loading.value = false
    const limit = params.limit ?? 0
    if (r.ok && r.data) {
      const rows = r.data
      items.value = limit > 1 ? rows.slice(0, limit - 1) : rows
      hasMore.value = limit > 1 && rows.length >= limit
      unknownLicense.value = ''
    } else if (r.code === 'license_not_found' && params.license) {
      // a key that names no license: an empty list that says so
      items.value = []
      hasMore.value = false
      unknownLicense.value = params.license
    } else {
      problem.value = problemOf(r)
      return
    }
    problem.value = null
    loaded.value = true
    shownFor.value = JSON.stringify(params)
  }

  const exportCSV = () => call('activations.export_csv')

  // The report: the last one made in this session, for the screen to show.
  const report = ref<ReportResult | null>(null)
  async function createReport(): Promise<Reply<ReportResult>> {
    const r = await call('report.create')
    if (r.ok && r.data) report.value = r.data
    return r
  }

  return { items, hasMore, loading, loaded, problem, unknownLicense, shownFor, list, exportCSV, report, createReport }
})
