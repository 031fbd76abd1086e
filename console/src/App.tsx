import { useEffect, useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { api, ApiError, type User } from './api/client';
import { Loading } from './components/Async/Loading';
import { Layout } from './components/Layout/Layout';
import { CustomerPage } from './pages/Customer/CustomerPage';
import { MerchantScope } from './components/MerchantScope/MerchantScope';
import { EventsPage } from './pages/Events/EventsPage';
import { FindPage } from './pages/Find/FindPage';
import { InsightSalesPage } from './pages/Insights/InsightSalesPage';
import { InsightsOverviewPage } from './pages/Insights/InsightsOverviewPage';
import { InsightsPage } from './pages/Insights/InsightsPage';
import { MerchantsPage } from './pages/Merchants/MerchantsPage';
import { OperationsPage } from './pages/Operations/OperationsPage';
import { PasswordPage } from './pages/Password/PasswordPage';
import { RulesPage } from './pages/Rules/RulesPage';
import { UsersPage } from './pages/Users/UsersPage';
import { SalePage } from './pages/Sale/SalePage';
import { SignInPage } from './pages/SignIn/SignInPage';
import { DistributorRoutes, frequentBuyerRoutes } from './pages/FrequentBuyer/FrequentBuyerRoutes';

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>();
  useEffect(() => {
    api.session().then(
      (s) => setUser(s.user),
      (e: unknown) => (e instanceof ApiError && e.status === 401 ? setUser(null) : setError(e as Error)),
    );
  }, []);
  const signOut = async () => {
    await api.signOut();
    setUser(null);
  };
  const reloadSession = () => void api.session().then((s) => setUser(s.user));
  return (
    <BrowserRouter basename="/console">
      <Layout user={user ?? null} onSignOut={() => void signOut()}>
        {user === undefined ? (
          <Loading error={error} />
        ) : user === null ? (
          <SignInPage onSignedIn={setUser} />
        ) : user.mustChangePassword ? (
          <PasswordPage forced onChanged={reloadSession} />
        ) : user.role === 'distributor' ? (
          <DistributorRoutes />
        ) : (
          <Routes>
            {frequentBuyerRoutes({ user })}
            <Route path="/" element={<FindPage />} />
            <Route path="/merchants" element={<MerchantsPage />} />
            <Route path="/password" element={<PasswordPage onChanged={reloadSession} />} />
            <Route path="/merchants/:merchantId/sales/:saleId" element={<SalePage user={user} />} />
            <Route path="/merchants/:merchantId/customers/:customerId" element={<CustomerPage user={user} />} />
            <Route path="/merchants/:merchantId/operations" element={<OperationsPage user={user} />} />
            <Route path="/merchants/:merchantId/rules" element={<RulesPage user={user} />} />
            <Route
              path="/merchants/:merchantId/events"
              element={
                <MerchantScope>
                  <EventsPage user={user} />
                </MerchantScope>
              }
            />
            {user.role === 'admin' && user.merchantId === null && <Route path="/events" element={<EventsPage user={user} />} />}
            {user.merchantId === null && <Route path="/insights" element={<InsightsOverviewPage />} />}
            <Route
              path="/merchants/:merchantId/insights"
              element={
                <MerchantScope>
                  <InsightsPage user={user} />
                </MerchantScope>
              }
            />
            <Route path="/merchants/:merchantId/insights/sales" element={<InsightSalesPage />} />
            {user.role === 'admin' && user.merchantId === null && <Route path="/people" element={<UsersPage user={user} />} />}
            <Route path="*" element={<FindPage />} />
          </Routes>
        )}
      </Layout>
    </BrowserRouter>
  );
}
