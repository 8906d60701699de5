// Licenses: the server-paged list (last request wins), bundle import, CSV
// export, and one license's detail with assign and revoke.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, type DocParams, type ImportResult, type License, type LicenseDetail, type LicenseQuery, type Reply } from '../api'
import { problemOf, type Problem } from './session'

export type ImportStage = 'idle' | 'sending' | 'done' | 'failed'

export const useLicensesStore = defineStore('licenses', () => {
  // The list. Each load gets a number; a reply to an older load than the
  // newest is dropped, so fast typing never shows a stale page.
  const items = ref<License[]>([])
  const hasMore = ref(false)
  const loading = ref(false)
  const loaded = ref(false) // a page was shown at least once
  const problem = ref<Problem | null>(null)
  const shownFor = ref('') // the params of the page shown, as JSON
  let seq = 0

  async function list(params: LicenseQuery): Promise<void> {
    const mine = ++seq
    loading.value = true
    const r = await call('licenses.list', params)
    if (mine !== seq) return
    loading.value = false
    if (r.ok && r.data) {
      items.value = r.data.items ?? []
      hasMore.value = r.data.has_more
      problem.value = null
      loaded.value = true
      shownFor.value = JSON.stringify(params)
    } else problem.value = problemOf(r)
  }

  // Import: the stage says what is happening for the progress indication.
  const stage = ref<ImportStage>('idle')
  const lastImport = ref<ImportResult | null>(null)
  const importProblem = ref<Problem | null>(null)

  async function importBundle(doc: DocParams): Promise<Reply<ImportResult>> {
    stage.value = 'sending'
    importProblem.value = null
    lastImport.value = null
    const r = await call('licenses.import', doc)
    if (r.ok && r.data) {
      lastImport.value = r.data
      stage.value = 'done'
    } else {
      importProblem.value = problemOf(r)
      stage.value = 'failed'
    }
    return r
  }

  const exportCSV = () => call('licenses.export_csv')

  // One license.
  const detail = ref<LicenseDetail | null>(null)
  const detailLoading = ref(false)
  const detailProblem = ref<Problem | null>(null)
  let detailSeq = 0

  async function show(key: string): Promise<void> {
    const mine = ++detailSeq
    detailLoading.value = detail.value?.key !== key
    if (detail.value?.key !== key) detail.value = null
    detailProblem.value = null
    const r = await call('licenses.show', { key })
    if (mine !== detailSeq) return
    detailLoading.value = false
    if (r.ok && r.data) detail.value = r.data
    else detailProblem.value = problemOf(r)
  }

  async function assign(key: string, customer: string): Promise<Reply<License>> {
    const target = customer.startsWith('o') ? { org: customer } : { user: customer }
    const r = await call('licenses.assign', { key, ...target })
    if (r.ok) await show(key)
    return r
  }

  async function revoke(key: string): Promise<Reply<License>> {
    const r = await call('licenses.revoke', { key })
    if (r.ok) await show(key)
    return r
  }

  return {
    items,
    hasMore,
    loading,
    loaded,
    problem,
    shownFor,
    list,
    stage,
    lastImport,
    importProblem,
    importBundle,
    exportCSV,
    detail,
    detailLoading,
    detailProblem,
    show,
    assign,
    revoke,
  }
})
