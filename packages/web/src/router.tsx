import { createBrowserRouter } from 'react-router';
import { RootLayout } from './pages/RootLayout/RootLayout';
import { LandingPage } from './pages/Landing/LandingPage';
import { LoginPage } from './pages/Login/LoginPage';
import { NotFoundPage } from './pages/NotFound/NotFoundPage';
// The HQ dashboard is in the first bundle: in a disaster it must draw without a second round of loading.
import { HqPage } from './pages/hq/HqPage';
import { AdminLayout } from './pages/admin/AdminLayout/AdminLayout';
import { OverviewPage } from './pages/admin/Overview/OverviewPage';
import { MunicipalitiesPage } from './pages/admin/Municipalities/MunicipalitiesPage';
import { JointUsePage } from './pages/admin/JointUse/JointUsePage';
import { StaffPage } from './pages/admin/Staff/StaffPage';
import { VaultPage } from './pages/admin/Vault/VaultPage';
import { AuditPage } from './pages/admin/Audit/AuditPage';
import { TouchOnlyPage } from './pages/admin/TouchOnly/TouchOnlyPage';

/** A route whose page is its own chunk, loaded when first visited (the first screen stays small). */
function page<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string) {
  return async () => ({ Component: (await load())[name] as React.ComponentType });
}

export const router = createBrowserRouter([
  {
    element: <RootLayout />,
    children: [
      { path: '/', element: <LandingPage /> },
      { path: '/staff/login', element: <LoginPage /> },
      {
        path: '/admin',
        element: <AdminLayout />,
        children: [
          { index: true, element: <OverviewPage /> },
          { path: 'municipalities', element: <MunicipalitiesPage /> },
          { path: 'joint-use', element: <JointUsePage /> },
          { path: 'staff', element: <StaffPage /> },
          { path: 'vault', element: <VaultPage /> },
          { path: 'audit', element: <AuditPage /> },
          { path: 'touch-only', element: <TouchOnlyPage /> },
          { path: 'oidc-clients', lazy: page(() => import('./pages/admin/OidcClients/OidcClientsPage'), 'OidcClientsPage') },
          { path: 'shelters', lazy: page(() => import('./pages/admin/Shelters/ShelterRegistryPage'), 'ShelterRegistryPage') },
        ],
      },
      // The counter (窓口) shares the admin layout: staff session, navigation, municipality scope.
      { path: '/counter', element: <AdminLayout />, children: [{ index: true, lazy: page(() => import('./pages/counter/CounterPage'), 'CounterPage') }] },
      // Disaster HQ dashboard and the shelter staff console (roster, needs, supplies).
      { path: '/hq', element: <AdminLayout />, children: [{ index: true, element: <HqPage /> }] },
      {
        path: '/shelter',
        element: <AdminLayout />,
        children: [
          { index: true, lazy: page(() => import('./pages/shelter/ShelterConsolePage'), 'ShelterConsolePage') },
          { path: 'intake-cards', lazy: page(() => import('./pages/shelter/IntakeCardsPage'), 'IntakeCardsPage') },
          { path: 'outside-poster', lazy: page(() => import('./pages/shelter/OutsidePosterPage'), 'OutsidePosterPage') },
        ],
      },
      // Public shelter congestion (混雑状況): no login, no personal data.
      { path: '/shelters/:code', lazy: page(() => import('./pages/publicShelters/PublicSheltersPage'), 'PublicSheltersPage') },
      // Resident screens: My page (the registration kiosk is outside this layout, below).
      { path: '/my/login', lazy: page(() => import('./pages/my/MyLoginPage'), 'MyLoginPage') },
      { path: '/my', lazy: page(() => import('./pages/my/MyPage'), 'MyPage') },
      { path: '/my/shelter', lazy: page(() => import('./pages/my/shelter/MyShelterPage'), 'MyShelterPage') },
      // OpenID Connect: the provider sends the resident here to log in to / consent for a joint-use service.
      { path: '/oidc/interaction/:uid', lazy: page(() => import('./pages/oidc/OidcInteractionPage'), 'OidcInteractionPage') },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  // The self-service kiosk has its own frame without the site navigation (a staff session is open on it).
  { path: '/kiosk', lazy: page(() => import('./pages/kiosk/KioskPage'), 'KioskPage') },
  // The shelter check-in kiosk: full screen, works offline (queued check-ins).
  { path: '/shelter/kiosk', lazy: page(() => import('./pages/shelter/kiosk/ShelterKioskPage'), 'ShelterKioskPage') },
]);
