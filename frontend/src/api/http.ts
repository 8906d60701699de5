import { asReply, failure, type Reply, type Transport } from './transport'

type Fetch = (input: string, init: RequestInit) => Promise<Response>

// HttpTransport talks to `rpctl portal serve`: POST /api/call/<op> with a JSON
// body; the session rides on a same-origin cookie.
export class HttpTransport implements Transport {
  readonly kind = 'http' as const
  private readonly fetchFn: Fetch
  private readonly base: string

  constructor(fetchFn: Fetch = (input, init) => fetch(input, init), base = '') {
    this.fetchFn = fetchFn
    this.base = base
  }

  async call<T = unknown>(op: string, params?: unknown): Promise<Reply<T>> {
    let res: Response
    try {
      res = await this.fetchFn(`${this.base}/api/call/${encodeURIComponent(op)}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(params ?? {}),
      })
    } catch (err) {
      return failure<T>(err)
    }
    let body: unknown
    try {
      body = await res.json()
    } catch {
      return failure<T>(new Error(`HTTP ${res.status}: the answer is not JSON`))
    }
    return asReply<T>(body)
  }
}
