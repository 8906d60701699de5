// The audit log: a cursor-paged, filtered list (last request wins), the
// known actions and admins for the filters, and the chain verification.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, type AuditEntry, type AuditQuery, type AuditVerification } from '../api'
import { problemOf, type Problem } from './session'

export const useAuditStore = defineStore('audit', () => {
  const items = ref<AuditEntry[]>([])
  const more = ref(false) // older matches may exist
  const next = ref(0) // the cursor of the next (older) page
  const scanned = ref(0) // entries the backend read for this page
  const loading = ref(false)
  const loaded = ref(false) // a page was shown at least once
  const problem = ref<Problem | null>(null)
  const shownFor = ref('') // the params of the page shown, as JSON
  let seq = 0

  async function list(params: AuditQuery): Promise<void> {
    const mine = ++seq
    loading.value = true
    const r = await call('audit.list', params)
    if (mine !== seq) return
    loading.value = false
    if (!r.ok || !r.data) {
      problem.value = problemOf(r)
      return
    }
    items.value = r.data.entries
    more.value = r.data.more
    next.value = r.data.next
    scanned.value = r.data.scanned
    problem.value = null
    loaded.value = true
    shownFor.value = JSON.stringify(params)
  }

  // The filters' choices: every action the portal records, and the admins.
  const actions = ref<string[]>([])
  const admins = ref<string[]>([])
  async function loadChoices(): Promise<void> {
    const [a, b] = await Promise.all([call('audit.actions'), call('admins.list')])
    if (a.ok && a.data) actions.value = a.data
    if (b.ok && b.data) admins.value = b.data.map((x) => x.name)
  }

  // Verification: the last result, or the refusal (audit_chain_broken).
  const verifying = ref(false)
  const verified = ref<AuditVerification | null>(null)
  const verifyProblem = ref<Problem | null>(null)
  async function verify(): Promise<void> {
    verifying.value = true
    verified.value = null
    verifyProblem.value = null
    const r = await call('audit.verify')
    if (r.ok && r.data) verified.value = r.data
    else verifyProblem.value = problemOf(r)
    verifying.value = false
  }

  return { items, more, next, scanned, loading, loaded, problem, shownFor, list, actions, admins, loadChoices, verifying, verified, verifyProblem, verify }
})
