// The signed-in customer's side of the customer portal (#/my/…): their
// licenses (an organization manager: the organization's) and their own
// password. The backend checks the role and the ownership of every license.
import { defineStore } from 'pinia'
import { call } from '../api'

export const useCustomerPortalStore = defineStore('customerPortal', () => {
  const licenses = (offset: number, limit: number) => call('my.licenses', { offset, limit })
  const license = (key: string) => call('my.license', { key })
  const changePassword = (current: string, next: string) => call('my.passwd', { password: current, new_password: next })
  return { licenses, license, changePassword }
})
