// Folders in the desktop window: the native folder dialog (Bridge.PickFolder)
// for activation.batch {path}, and the backend's "batch:progress" events
// (the Wails runtime; only the window has them). With files.ts and wails.ts,
// the only place that touches the generated bindings.
import { PickFolder } from '../../wailsjs/go/desktop/Bridge'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import { asReply, failure, type Reply } from './transport'

export const BATCH_PROGRESS_EVENT = 'batch:progress'

type BoundPick = (title: string) => Promise<unknown>
type BoundOn = (event: string, cb: (...data: unknown[]) => void) => () => void

// pickFolder shows the native folder dialog; a cancelled dialog is ok with
// no data.
export async function pickFolder(title: string, bound: BoundPick = PickFolder): Promise<Reply<{ path: string } | null>> {
  try {
    const r = asReply<{ path: string }>(await bound(title))
    if (!r.ok) return { ok: false, code: r.code, message: r.message }
    return { ok: true, data: r.data ?? null }
  } catch (err) {
    return failure(err)
  }
}

// onBatchProgress calls fn with (done, total) after each committed chunk of
// the window's activation.batch; the returned function undoes the
// subscription.
export function onBatchProgress(fn: (done: number, total: number) => void, on: BoundOn = EventsOn): () => void {
  return on(BATCH_PROGRESS_EVENT, (done, total) => {
    if (typeof done === 'number' && typeof total === 'number') fn(done, total)
  })
}
