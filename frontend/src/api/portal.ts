// Typed wrappers of the portal operations (docs/api.md lists them all).
import { transport } from './client'
import type { Reply } from './transport'

export interface Status {
  initialized: boolean
  reseller_name: string
  enrolled: boolean
  admins: string[]
  signed_in: boolean
  admin: string
}

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
  status: (): Promise<Reply<Status>> => transport().call<Status>('status'),
  setup: (p: SetupParams): Promise<Reply<unknown>> => transport().call('setup', p),
  signIn: (p: SignInParams): Promise<Reply<unknown>> => transport().call('signin', p),
  signOut: (): Promise<Reply<unknown>> => transport().call('signout'),
}
