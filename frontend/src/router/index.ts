// Routes (hash history: works in the embedded webview and in serve mode).
// The paths are a contract (../shared/spec/UI.md): add, never rename. Every
// screen is lazy-loaded so the first paint stays small. The router does not
// guard sign-in: App.vue shows sign-in instead of the route while signed
// out, and the route stays in the address, so signing in returns to it.
import { createRouter, createWebHashHistory, type RouteRecordRaw, type Router } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/dashboard' },
  { path: '/dashboard', name: 'dashboard', component: () => import('../views/DashboardView.vue'), meta: { nav: 'dashboard' } },
  { path: '/enroll', name: 'enroll', component: () => import('../views/EnrollView.vue'), meta: { nav: 'enroll' } },
  { path: '/licenses', name: 'licenses', component: () => import('../views/LicensesView.vue'), meta: { nav: 'licenses' } },
  {
    path: '/licenses/:key',
    name: 'license',
    component: () => import('../views/LicenseView.vue'),
    props: true,
    meta: { nav: 'licenses' },
  },
  { path: '/customers', name: 'customers', component: () => import('../views/CustomersView.vue'), meta: { nav: 'customers' } },
  {
    path: '/customers/:id',
    name: 'customer',
    component: () => import('../views/CustomerView.vue'),
    props: true,
    meta: { nav: 'customers' },
  },
  { path: '/activate', name: 'activate', component: () => import('../views/ActivateView.vue'), meta: { nav: 'activate' } },
  { path: '/deactivate', name: 'deactivate', component: () => import('../views/DeactivateView.vue'), meta: { nav: 'deactivate' } },
  { path: '/batch', name: 'batch', component: () => import('../views/BatchView.vue'), meta: { nav: 'batch' } },
  { path: '/activations', name: 'activations', component: () => import('../views/ActivationsView.vue'), meta: { nav: 'activations' } },
  { path: '/requests', name: 'requests', component: () => import('../views/RequestsView.vue'), meta: { nav: 'requests' } },
  { path: '/audit', name: 'audit', component: () => import('../views/AuditView.vue'), meta: { nav: 'audit' } },
  { path: '/settings', name: 'settings', component: () => import('../views/SettingsView.vue'), meta: { nav: 'settings' } },
  // The customer portal (a customer session sees only these; see access.ts).
  { path: '/my/licenses', name: 'my-licenses', component: () => import('../views/MyLicensesView.vue'), meta: { nav: 'my-licenses' } },
  {
    path: '/my/licenses/:key',
    name: 'my-license',
    component: () => import('../views/MyLicenseView.vue'),
    meta: { nav: 'my-licenses' },
  },
  { path: '/my/activate', name: 'my-activate', component: () => import('../views/MyActivateView.vue'), meta: { nav: 'my-activate' } },
  { path: '/my/deactivate', name: 'my-deactivate', component: () => import('../views/MyDeactivateView.vue'), meta: { nav: 'my-deactivate' } },
  { path: '/my/requests', name: 'my-requests', component: () => import('../views/MyRequestsView.vue'), meta: { nav: 'my-requests' } },
  {
    path: '/my/requests/:id',
    name: 'my-request',
    component: () => import('../views/MyRequestView.vue'),
    meta: { nav: 'my-requests' },
  },
  { path: '/my/account', name: 'my-account', component: () => import('../views/MyAccountView.vue'), meta: { nav: 'my-account' } },
  // Public: a customer's invitation code → password (App.vue shows it while signed out).
  { path: '/redeem', name: 'redeem', component: () => import('../views/RedeemView.vue') },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('../views/NotFoundView.vue') },
]

export function makeRouter(): Router {
  return createRouter({ history: createWebHashHistory(), routes })
}
