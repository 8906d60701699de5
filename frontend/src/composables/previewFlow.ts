// The customer portal's "take a document → preview (nothing changed yet) →
// confirm → result" flow, shared by #/my/activate and #/my/deactivate:
// a newer document or "Next" drops the reply to an older one (a sequence
// number), a refused preview goes back to the intake with the problem, a
// refused submit stays on the preview with it, and focus follows the flow
// (the submit button once previewed, the result once done, the top after
// "Next"). The views keep their own texts; the calls are the store's.
import { computed, nextTick, ref, shallowRef, type ShallowRef } from 'vue'
import type { DocParams, Reply } from '../api'
import { problemOf, type Problem } from '../stores/session'
import type { DocumentIn } from './documents'

export type FlowStage = 'intake' | 'previewing' | 'preview' | 'submitting' | 'done'

type Focusable = HTMLElement | null | undefined

export interface PreviewFlowOptions<P, R> {
  preview: (doc: DocParams) => Promise<Reply<P>>
  submit: (doc: DocParams) => Promise<Reply<R>>
  // canSubmit: whether the preview offers a submit at all (default: yes).
  canSubmit?: () => boolean
  // refused: told about a refused submit, after its problem is set and
  // before the flow is back on the preview (it may amend the preview).
  refused?: (r: Reply<R>, preview: ShallowRef<P | null>) => void
  // Where focus goes: once previewed, once done, after next().
  focusPreview?: () => Focusable
  focusDone?: () => Focusable
  focusReset?: () => Focusable
}

export function usePreviewFlow<P, R>(opts: PreviewFlowOptions<P, R>) {
  const stage = ref<FlowStage>('intake')
  const name = ref('')
  const doc = shallowRef<DocParams | null>(null)
  const preview = shallowRef<P | null>(null)
  const result = shallowRef<R | null>(null)
  const problem = ref<Problem | null>(null)
  let seq = 0

  const busy = computed(() => stage.value === 'previewing' || stage.value === 'submitting')

  async function take(d: DocumentIn): Promise<void> {
    const mine = ++seq
    name.value = d.name
    doc.value = d.params
    preview.value = null
    result.value = null
    problem.value = null
    stage.value = 'previewing'
    const r = await opts.preview(d.params)
    if (mine !== seq) return
    if (r.ok && r.data) {
      preview.value = r.data
      stage.value = 'preview'
      if (opts.focusPreview) {
        await nextTick()
        opts.focusPreview()?.focus()
      }
    } else {
      problem.value = problemOf(r)
      stage.value = 'intake'
    }
  }

  // recheck previews the same document again (something may have changed).
  async function recheck(): Promise<void> {
    if (!doc.value) return
    await take({ name: name.value, params: doc.value, bytes: 0 })
  }

  async function submit(): Promise<void> {
    if (!doc.value || stage.value !== 'preview' || (opts.canSubmit && !opts.canSubmit())) return
    const mine = seq
    stage.value = 'submitting'
    problem.value = null
    const r = await opts.submit(doc.value)
    if (mine !== seq) return
    if (r.ok && r.data) {
      result.value = r.data
      stage.value = 'done'
      if (opts.focusDone) {
        await nextTick()
        opts.focusDone()?.focus()
      }
    } else {
      problem.value = problemOf(r)
      opts.refused?.(r, preview)
      stage.value = 'preview'
    }
  }

  // next drops whatever is under way and goes back to an empty intake.
  function next(): void {
    seq++
    stage.value = 'intake'
    name.value = ''
    doc.value = null
    preview.value = null
    result.value = null
    problem.value = null
    const focus = opts.focusReset
    if (focus) void nextTick(() => focus()?.focus())
  }

  return { stage, name, doc, preview, result, problem, busy, take, recheck, submit, next }
}
