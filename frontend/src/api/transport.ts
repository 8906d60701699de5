// The one shape every backend operation answers with, over either host. It
// mirrors backend/reply.Reply: data on success, or a stable error code (which
// the UI maps to a message through the locale files) plus an English message.
export interface Reply<T = unknown> {
  ok: boolean
  code?: string
  message?: string
  data?: T
}

// A Transport carries one operation to the backend and brings its Reply back.
// It never throws: a broken connection is a Reply with code "transport_error".
export interface Transport {
  readonly kind: 'wails' | 'http'
  call<T = unknown>(op: string, params?: unknown): Promise<Reply<T>>
}

// Codes the frontend itself produces (the backend's codes live in its errors.go files).
export const TRANSPORT_ERROR = 'transport_error'
export const BAD_REPLY = 'bad_reply'

// asReply checks that a value decoded from the other side has the Reply shape.
export function asReply<T>(value: unknown): Reply<T> {
  if (value === null || typeof value !== 'object' || typeof (value as Reply).ok !== 'boolean') {
    return { ok: false, code: BAD_REPLY, message: 'the backend answered with something that is not a reply' }
  }
  return value as Reply<T>
}

// failure turns a thrown value into a transport_error Reply.
export function failure<T>(err: unknown): Reply<T> {
  const message = err instanceof Error ? err.message : String(err)
  return { ok: false, code: TRANSPORT_ERROR, message }
}
