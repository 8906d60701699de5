// Customers' activation requests, the admin's side: the server-paged list
// (last request wins), approve (signs with this admin's session key) and
// reject (with a reason the customer reads); the count of requests waiting,
// shared by the navigation; and how customers' requests are signed
// (signing.*: approval by an admin, or immediate signing unlocked in the
// server's memory).
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, type CustomerRequest, type Reply, type RequestQuery, type SigningMode, type SigningState } from '../api'
import { problemOf, useSessionStore, type Problem } from './session'

// How often the navigation's count is refreshed while an admin is signed in.
export const PENDING_POLL_MS = 30_000

export const useRequestsStore = defineStore('requests', () => {
  const items = ref<CustomerRequest[]>([])
  const total = ref(0)
  const loading = ref(false)
  const loaded = ref(false) // a page was shown at least once
  const problem = ref<Problem | null>(null)
  const shownFor = ref('') // the params of the page shown, as JSON
  // pending: requests waiting for an admin, all customers (null: not known yet).
  const pending = ref<number | null>(null)
  let seq = 0
  let pendingSeq = 0

  function setPending(n: number): void {
    pendingSeq++ // a newer answer than any count still on its way
    pending.value = n
  }

  async function list(params: RequestQuery): Promise<void> {
    const mine = ++seq
    loading.value = true
    const r = await call('requests.list', params)
    if (mine !== seq) return
    loading.value = false
    if (!r.ok || !r.data) {
      problem.value = problemOf(r)
      return
    }
    items.value = r.data.items ?? []
    total.value = r.data.total
    setPending(r.data.pending)
    problem.value = null
    loaded.value = true
    shownFor.value = JSON.stringify(params)
  }

  // refreshPending reads the count for the navigation: only in the admin's
  // shell (a customer session must not call admin operations); a failure
  // keeps the last count (a lost session is the session store's business).
  async function refreshPending(): Promise<void> {
    if (useSessionStore().role !== 'reseller-admin') return
    const mine = ++pendingSeq
    const r = await call('signing.status')
    if (mine !== pendingSeq || !r.ok || !r.data) return
    pending.value = r.data.pending
    signing.value = r.data
  }

  // watchPending refreshes the count now and every PENDING_POLL_MS; the
  // returned function stops it (the admin's shell is gone: signed out,
  // locked, or a customer's session).
  function watchPending(): () => void {
    void refreshPending()
    const timer = setInterval(() => void refreshPending(), PENDING_POLL_MS)
    return () => clearInterval(timer)
  }

  // replace puts a decided request in place of its row.
  function replace(req: CustomerRequest): void {
    const i = items.value.findIndex((x) => x.id === req.id)
    if (i >= 0) items.value.splice(i, 1, req)
  }

  async function approve(id: string): Promise<Reply<CustomerRequest>> {
    const r = await call('requests.approve', { id })
    if (r.ok && r.data) replace({ ...r.data, response: undefined })
    if (r.ok || r.code === 'request_decided' || r.code === 'request_not_found') void refreshPending()
    return r
  }

  async function reject(id: string, reason: string): Promise<Reply<CustomerRequest>> {
    const r = await call('requests.reject', { id, reason: reason.trim() })
    if (r.ok && r.data) replace(r.data)
    if (r.ok || r.code === 'request_decided' || r.code === 'request_not_found') void refreshPending()
    return r
  }

  // Customer signing.
  const signing = ref<SigningState | null>(null)
  function took(r: Reply<SigningState>): Reply<SigningState> {
    if (r.ok && r.data) {
      signing.value = r.data
      setPending(r.data.pending)
    }
    return r
  }
  const loadSigning = async () => took(await call('signing.status'))
  const setMode = async (mode: SigningMode) => took(await call('signing.mode', { mode }))
  const unlock = async (password: string) => took(await call('signing.unlock', { password }))
  const lock = async () => took(await call('signing.lock'))

  return {
    items,
    total,
    loading,
    loaded,
    problem,
    shownFor,
    pending,
    list,
    refreshPending,
    watchPending,
    approve,
    reject,
    signing,
    loadSigning,
    setMode,
    unlock,
    lock,
  }
})
