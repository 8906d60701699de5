// The customer portal's document → preview → confirm → result flow
// (#/my/activate and #/my/deactivate): stale replies are dropped, a refused
// preview goes back to the intake, a refused submit stays on the preview,
// and focus follows the flow.
import { nextTick } from 'vue'
import { describe, expect, it, vi } from 'vitest'
import type { DocParams, Reply } from '../src/api'
import type { DocumentIn } from '../src/composables/documents'
import { usePreviewFlow } from '../src/composables/previewFlow'

interface P {
  text: string
  sign_now?: boolean
}

const docIn = (text: string, name = `${text}.req`): DocumentIn => ({ name, params: { text }, bytes: text.length })
const textOf = (d: DocParams) => d.text ?? ''

// later returns a promise and the function that settles it.
function later<T>(): { promise: Promise<T>; settle: (v: T) => void } {
  let settle!: (v: T) => void
  const promise = new Promise<T>((r) => (settle = r))
  return { promise, settle }
}

const focusable = () => ({ focus: vi.fn() }) as unknown as HTMLElement & { focus: ReturnType<typeof vi.fn> }

describe('the preview flow', () => {
  it('previews a document, focuses the submit button, submits and focuses the result', async () => {
    const button = focusable()
    const result = focusable()
    const f = usePreviewFlow<P, string>({
      preview: async (d) => ({ ok: true, data: { text: textOf(d) } }),
      submit: async (d) => ({ ok: true, data: `done ${textOf(d)}` }),
      focusPreview: () => button,
      focusDone: () => result,
    })
    expect(f.stage.value).toBe('intake')
    const taking = f.take(docIn('a'))
    expect(f.stage.value).toBe('previewing')
    expect(f.busy.value).toBe(true)
    await taking
    expect(f.stage.value).toBe('preview')
    expect(f.preview.value).toEqual({ text: 'a' })
    expect(f.name.value).toBe('a.req')
    expect(button.focus).toHaveBeenCalledOnce()
    const submitting = f.submit()
    expect(f.stage.value).toBe('submitting')
    await submitting
    expect(f.stage.value).toBe('done')
    expect(f.result.value).toBe('done a')
    expect(result.focus).toHaveBeenCalledOnce()
  })

  it('drops the preview of an older document once a newer one is taken', async () => {
    const replies: Record<string, ReturnType<typeof later<Reply<P>>>> = { old: later(), new: later() }
    const f = usePreviewFlow<P, string>({
      preview: (d) => replies[textOf(d)].promise,
      submit: async () => ({ ok: true, data: 'x' }),
    })
    const first = f.take(docIn('old'))
    const second = f.take(docIn('new'))
    replies.new.settle({ ok: true, data: { text: 'new' } })
    await second
    replies.old.settle({ ok: true, data: { text: 'old' } })
    await first
    expect(f.preview.value).toEqual({ text: 'new' })
    expect(f.name.value).toBe('new.req')
    expect(f.stage.value).toBe('preview')
  })

  it('drops a preview that arrives after "Next"', async () => {
    const reply = later<Reply<P>>()
    const f = usePreviewFlow<P, string>({ preview: () => reply.promise, submit: async () => ({ ok: true, data: 'x' }) })
    const taking = f.take(docIn('a'))
    f.next()
    reply.settle({ ok: true, data: { text: 'a' } })
    await taking
    expect(f.stage.value).toBe('intake')
    expect(f.preview.value).toBeNull()
    expect(f.doc.value).toBeNull()
  })

  it('goes back to the intake with the problem when the preview is refused', async () => {
    const f = usePreviewFlow<P, string>({
      preview: async () => ({ ok: false, code: 'bad_request_document', message: 'not a request' }),
      submit: async () => ({ ok: true, data: 'x' }),
    })
    await f.take(docIn('a'))
    expect(f.stage.value).toBe('intake')
    expect(f.preview.value).toBeNull()
    expect(f.problem.value).toEqual({ code: 'bad_request_document', message: 'not a request' })
    // A new document clears the old problem.
    const taking = f.take(docIn('b'))
    expect(f.problem.value).toBeNull()
    await taking
  })

  it('stays on the preview with the problem when the submit is refused, and lets it amend the preview', async () => {
    const f = usePreviewFlow<P, string>({
      preview: async () => ({ ok: true, data: { text: 'a', sign_now: true } }),
      submit: async () => ({ ok: false, code: 'customer_signing_locked', message: 'locked' }),
      refused: (r, p) => {
        if (r.code === 'customer_signing_locked' && p.value) p.value = { ...p.value, sign_now: false }
      },
    })
    await f.take(docIn('a'))
    await f.submit()
    expect(f.stage.value).toBe('preview')
    expect(f.problem.value?.code).toBe('customer_signing_locked')
    expect(f.preview.value).toEqual({ text: 'a', sign_now: false })
    expect(f.result.value).toBeNull()
  })

  it('drops a submit reply that arrives after "Next"', async () => {
    const reply = later<Reply<string>>()
    const f = usePreviewFlow<P, string>({ preview: async () => ({ ok: true, data: { text: 'a' } }), submit: () => reply.promise })
    await f.take(docIn('a'))
    const submitting = f.submit()
    f.next()
    reply.settle({ ok: true, data: 'late' })
    await submitting
    expect(f.stage.value).toBe('intake')
    expect(f.result.value).toBeNull()
  })

  it('submits only from a preview that offers it', async () => {
    const submit = vi.fn(async () => ({ ok: true, data: 'x' }) as Reply<string>)
    let offered = false
    const f = usePreviewFlow<P, string>({ preview: async () => ({ ok: true, data: { text: 'a' } }), submit, canSubmit: () => offered })
    await f.submit() // nothing previewed yet
    await f.take(docIn('a'))
    await f.submit() // previewed, but no button offered
    expect(submit).not.toHaveBeenCalled()
    offered = true
    await f.submit()
    expect(submit).toHaveBeenCalledOnce()
    expect(f.stage.value).toBe('done')
  })

  it('rechecks the same document under the same name', async () => {
    const preview = vi.fn(async (d: DocParams) => ({ ok: true, data: { text: textOf(d) } }) as Reply<P>)
    const f = usePreviewFlow<P, string>({ preview, submit: async () => ({ ok: true, data: 'x' }) })
    await f.recheck() // nothing taken: nothing to check
    expect(preview).not.toHaveBeenCalled()
    await f.take(docIn('a', 'mine.req'))
    await f.recheck()
    expect(preview).toHaveBeenCalledTimes(2)
    expect(textOf(preview.mock.calls[1][0])).toBe('a')
    expect(f.name.value).toBe('mine.req')
    expect(f.stage.value).toBe('preview')
  })

  it('clears everything on "Next" and focuses the top', async () => {
    const top = focusable()
    const f = usePreviewFlow<P, string>({
      preview: async () => ({ ok: true, data: { text: 'a' } }),
      submit: async () => ({ ok: true, data: 'x' }),
      focusReset: () => top,
    })
    await f.take(docIn('a'))
    await f.submit()
    f.next()
    expect([f.stage.value, f.name.value, f.doc.value, f.preview.value, f.result.value, f.problem.value]).toEqual(['intake', '', null, null, null, null])
    await nextTick()
    expect(top.focus).toHaveBeenCalledOnce()
  })
})
