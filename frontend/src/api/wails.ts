// The only place in the UI that imports the generated Wails bindings.
import { Call } from '../../wailsjs/go/desktop/Bridge'
import { asReply, failure, type Reply, type Transport } from './transport'

type BoundCall = (op: string, params: string) => Promise<unknown>

// WailsTransport calls the Go Bridge bound into the desktop window. The
// parameters cross as one JSON string, exactly the body the HTTP host gets.
export class WailsTransport implements Transport {
  readonly kind = 'wails' as const
  private readonly bound: BoundCall

  constructor(bound: BoundCall = Call) {
    this.bound = bound
  }

  async call<T = unknown>(op: string, params?: unknown): Promise<Reply<T>> {
    try {
      return asReply<T>(await this.bound(op, JSON.stringify(params ?? {})))
    } catch (err) {
      return failure<T>(err)
    }
  }
}

interface WailsWindow {
  go?: { desktop?: { Bridge?: unknown } }
}

// inDesktop tells whether the page runs inside the Wails window.
export function inDesktop(w: unknown = globalThis): boolean {
  return Boolean((w as WailsWindow).go?.desktop?.Bridge)
}
