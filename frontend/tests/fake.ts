import type { Reply, Transport } from '../src/api'

export interface Recorded {
  op: string
  params: unknown
}

type Handler = (params: unknown) => Reply | Promise<Reply>

// FakeTransport answers each op with a scripted handler and records calls;
// an op without a handler answers like the real dispatcher does for it.
export class FakeTransport implements Transport {
  readonly kind = 'http' as const
  readonly calls: Recorded[] = []
  private readonly handlers = new Map<string, Handler>()

  on(op: string, handler: Handler): this {
    this.handlers.set(op, handler)
    return this
  }

  async call<T = unknown>(op: string, params?: unknown): Promise<Reply<T>> {
    this.calls.push({ op, params })
    const h = this.handlers.get(op)
    if (!h) return { ok: false, code: 'unknown_op', message: `unknown operation ${op}` } as Reply<T>
    return (await h(params)) as Reply<T>
  }

  ops(): string[] {
    return this.calls.map((c) => c.op)
  }
}
