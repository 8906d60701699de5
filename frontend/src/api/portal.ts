// The account operations the session store uses, over the typed table.
import { call } from './ops'
import type { Reply } from './transport'
import type { Status } from './types'

export interface SetupParams {
  reseller: string
  admin: string
  password: string
}

export interface SignInParams {
  admin: string
  password: string
}

export const portal = {
  status: (): Promise<Reply<Status>> => call('status'),
  setup: (p: SetupParams): Promise<Reply<Status>> => call('setup', p),
  signIn: (p: SignInParams): Promise<Reply<Status>> => call('signin', p),
  signOut: (): Promise<Reply<Status>> => call('signout'),
}
