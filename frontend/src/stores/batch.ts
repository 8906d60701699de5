// Batch activation of a USB stick's worth of requests. In the desktop window
// a folder is chosen with the native dialog and the backend reads it and
// writes each response beside its request (activation.batch {path}), telling
// the page how far it has come through "batch:progress" events. In the
// browser (and for files dropped on the window) the picked files are read
// here and sent in chunks (activation.batch {files}); the responses come back
// in the replies and leave as one zip.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { call, toBase64, transport, type BatchResult } from '../api'
import { onBatchProgress, pickFolder } from '../api/folders'
import {
  buildZip,
  emptyResult,
  localFailure,
  planChunks,
  runChunks,
  skipReason,
  toBatchFile,
  tooLarge,
  wireSize,
  type Candidate,
  type Progress,
} from '../composables/batch'
import { problemOf, type Problem } from './session'

export type Phase = 'idle' | 'running' | 'done'
export type Mode = 'folder' | 'files'

// A picked or dropped file: a browser File (or anything like it).
export interface PickedBlob {
  name: string
  size: number
  webkitRelativePath?: string
  arrayBuffer(): Promise<ArrayBuffer>
}

export const useBatchStore = defineStore('batch', () => {
  const phase = ref<Phase>('idle')
  const mode = ref<Mode>('files')
  const source = ref('') // the folder's path, or its name in the browser
  const progress = ref<Progress>({ done: 0, total: 0 })
  const result = shallowRef<BatchResult>(emptyResult())
  const skipped = ref(0)
  const cancelRequested = ref(false)
  const cancelled = ref(false)
  const problem = ref<Problem | null>(null)
  const zip = shallowRef<Uint8Array | null>(null)
  const finishedAt = ref<Date | null>(null)
  const elapsedMs = ref(0)

  const inWindow = computed(() => transport().kind === 'wails')
  const running = computed(() => phase.value === 'running')

  function start(m: Mode, src: string): number {
    phase.value = 'running'
    mode.value = m
    source.value = src
    progress.value = { done: 0, total: 0 }
    result.value = emptyResult()
    skipped.value = 0
    cancelRequested.value = false
    cancelled.value = false
    problem.value = null
    zip.value = null
    finishedAt.value = null
    return performance.now()
  }

  function finish(t0: number): void {
    elapsedMs.value = Math.round(performance.now() - t0)
    finishedAt.value = new Date()
    phase.value = 'done'
  }

  // runFolder: the window's path. Returns false when the dialog was cancelled.
  async function runFolder(title: string): Promise<boolean> {
    if (running.value) return false
    const picked = await pickFolder(title)
    if (!picked.ok) {
      problem.value = problemOf(picked)
      return false
    }
    if (!picked.data) return false
    const t0 = start('folder', picked.data.path)
    const off = onBatchProgress((done, total) => (progress.value = { done, total }))
    try {
      const r = await call('activation.batch', { path: picked.data.path })
      if (r.ok && r.data) {
        result.value = r.data
        const n = r.data.items.length
        progress.value = { done: n, total: n }
      } else problem.value = problemOf(r)
    } finally {
      off()
      finish(t0)
    }
    return true
  }

  // runFiles: picked or dropped files, read here and sent in chunks.
  async function runFiles(picked: PickedBlob[], label: string): Promise<void> {
    if (running.value) return
    const t0 = start('files', label)
    const take: { blob: PickedBlob; c: Candidate }[] = []
    const refused = emptyResult()
    for (const blob of picked) {
      const c: Candidate = { name: blob.name, path: blob.webkitRelativePath || undefined, size: blob.size }
      if (skipReason(c) !== '') {
        skipped.value++
        continue
      }
      if (tooLarge(c)) {
        refused.items.push(localFailure(c.name, 'file_too_large'))
        refused.failed++
        continue
      }
      take.push({ blob, c })
    }
    const chunks = planChunks(take.map((x) => wireSize(x.c)))
    const out = await runChunks({
      chunks: chunks.length,
      files: chunks.map((ch) => ch.length),
      cancelled: () => cancelRequested.value,
      progress: (p) => (progress.value = { done: p.done + refused.items.length, total: p.total + refused.items.length }),
      send: async (i) => {
        const local = emptyResult()
        const files = []
        const order: (number | null)[] = [] // per file of the chunk: index in files, or null (read failed)
        for (const idx of chunks[i]) {
          const { blob, c } = take[idx]
          try {
            files.push(toBatchFile(c.name, new Uint8Array(await blob.arrayBuffer()), toBase64))
            order.push(files.length - 1)
          } catch {
            local.items.push(localFailure(c.name, 'file_unreadable'))
            local.failed++
            order.push(null)
          }
        }
        if (files.length === 0) return { ok: true, result: local }
        const r = await call('activation.batch', { files })
        if (!r.ok || !r.data) return { ok: false, code: r.code || 'internal', message: r.message || '' }
        // keep the picked order, unreadable files in their place
        let k = 0
        let f = 0
        const items = order.map((o) => (o === null ? local.items[f++] : r.data!.items[k++]))
        return { ok: true, result: { ...r.data, items, failed: r.data.failed + local.failed } }
      },
    })
    result.value = { ...out.result, items: [...refused.items, ...out.result.items], failed: out.result.failed + refused.failed }
    cancelled.value = out.cancelled
    if (out.problem) problem.value = out.problem
    zip.value = buildZip(result.value.items)
    finish(t0)
  }

  function cancel(): void {
    if (running.value && mode.value === 'files') cancelRequested.value = true
  }

  function reset(): void {
    if (running.value) return
    phase.value = 'idle'
    result.value = emptyResult()
    problem.value = null
    zip.value = null
    progress.value = { done: 0, total: 0 }
  }

  return {
    phase,
    mode,
    source,
    progress,
    result,
    skipped,
    cancelRequested,
    cancelled,
    problem,
    zip,
    finishedAt,
    elapsedMs,
    inWindow,
    running,
    runFolder,
    runFiles,
    cancel,
    reset,
  }
})
