import { useAsync } from '../components/Async/useAsync';
import { api } from './client';

/**
 * One hook per resource a page reads: each loads through the one client (./client.ts), reloads when its
 * key changes, and gives { data, error, loading, reload }. A page shows `error` with <Loading> or
 * <ServerError> (the one error path). Actions call `api` directly, then `reload()`.
 */
export const useSession = () => useAsync(() => api.session(), []);
export const useMerchants = () => useAsync(() => api.merchants(), []);
export const useMerchant = (merchantId: string) => useAsync(() => api.merchant(merchantId), [merchantId]);
export const useSearch = (q: string) => useAsync(() => (q ? api.search(q) : Promise.resolve(null)), [q]);
export const useSale = (merchantId: string, saleId: string) => useAsync(() => api.sale(merchantId, saleId), [merchantId, saleId]);
export const useCustomer = (merchantId: string, customerId: string) => useAsync(() => api.customer(merchantId, customerId), [merchantId, customerId]);
export const useCustomerSummary = (merchantId: string, customerId: string) =>
  useAsync(() => api.customerSummary(merchantId, customerId), [merchantId, customerId]);
export const useEvents = (merchantId: string, status?: string) => useAsync(() => api.events(merchantId, status), [merchantId, status]);
export const useRules = (merchantId: string) => useAsync(() => api.rules(merchantId), [merchantId]);
export const useRuleVersions = (merchantId: string) => useAsync(() => api.ruleVersions(merchantId), [merchantId]);
export const useReference = (merchantId: string) => useAsync(() => api.reference(merchantId), [merchantId]);
export const useStaff = () => useAsync(() => api.staff(), []);
export const useConnection = (merchantId: string) => useAsync(() => api.connection(merchantId), [merchantId]);
export const useConnections = () => useAsync(() => api.connections(), []);
