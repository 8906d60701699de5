// The admin's side of the customer portal: one user's account — its state,
// invitations, disable/enable, organization manager.
import { defineStore } from 'pinia'
import { call } from '../api'

export const useCustomerAccountsStore = defineStore('customerAccounts', () => {
  const account = (user: string) => call('customers.account', { user })
  const invite = (user: string) => call('customers.invite', { user })
  const disable = (user: string) => call('customers.disable', { user })
  const enable = (user: string) => call('customers.enable', { user })
  const setManager = (user: string, manager: boolean) => call('customers.manager', { user, manager })
  return { account, invite, disable, enable, setManager }
})
