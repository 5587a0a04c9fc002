import { createBrowserRouter } from 'react-router';
import { RootLayout } from './features/site/RootLayout';
import { LandingPage } from './features/site/LandingPage';
import { LoginPage } from './features/site/LoginPage';
import { NotFoundPage } from './features/site/NotFoundPage';
// The HQ dashboard is in the first bundle: in a disaster it must draw without a second round of loading.
import { HqPage } from './features/hq/HqPage';
import { AdminLayout } from './features/admin/AdminLayout/AdminLayout';
import { OverviewPage } from './features/admin/Overview/OverviewPage';
import { MunicipalitiesPage } from './features/admin/Municipalities/MunicipalitiesPage';
import { JointUsePage } from './features/admin/JointUse/JointUsePage';
import { StaffPage } from './features/admin/Staff/StaffPage';
import { VaultPage } from './features/admin/Vault/VaultPage';
import { AuditPage } from './features/admin/Audit/AuditPage';
import { TouchOnlyPage } from './features/admin/TouchOnly/TouchOnlyPage';

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
          { path: 'oidc-clients', lazy: page(() => import('./features/admin/OidcClients/OidcClientsPage'), 'OidcClientsPage') },
          { path: 'shelters', lazy: page(() => import('./features/hq/registry/ShelterRegistryPage'), 'ShelterRegistryPage') },
        ],
      },
      // The counter (窓口) shares the admin layout: staff session, navigation, municipality scope.
      { path: '/counter', element: <AdminLayout />, children: [{ index: true, lazy: page(() => import('./features/counter/CounterPage'), 'CounterPage') }] },
      // Disaster HQ dashboard and the shelter staff console (roster, needs, supplies).
      { path: '/hq', element: <AdminLayout />, children: [{ index: true, element: <HqPage /> }] },
      {
        path: '/shelter',
        element: <AdminLayout />,
        children: [
          { index: true, lazy: page(() => import('./features/shelter/ShelterConsolePage'), 'ShelterConsolePage') },
          { path: 'intake-cards', lazy: page(() => import('./features/shelter/IntakeCardsPage'), 'IntakeCardsPage') },
          { path: 'outside-poster', lazy: page(() => import('./features/shelter/OutsidePosterPage'), 'OutsidePosterPage') },
        ],
      },
      // Public shelter congestion (混雑状況): no login, no personal data.
      { path: '/shelters/:code', lazy: page(() => import('./features/publicShelters/PublicSheltersPage'), 'PublicSheltersPage') },
      // Resident screens: My page (the registration kiosk is outside this layout, below).
      { path: '/my/login', lazy: page(() => import('./features/resident/my/MyLoginPage'), 'MyLoginPage') },
      { path: '/my', lazy: page(() => import('./features/resident/my/MyPage'), 'MyPage') },
      { path: '/my/shelter', lazy: page(() => import('./features/myShelter/MyShelterPage'), 'MyShelterPage') },
      // OpenID Connect: the provider sends the resident here to log in to / consent for a joint-use service.
      { path: '/oidc/interaction/:uid', lazy: page(() => import('./features/oidc/OidcInteractionPage'), 'OidcInteractionPage') },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  // The self-service kiosk has its own frame without the site navigation (a staff session is open on it).
  { path: '/kiosk', lazy: page(() => import('./features/resident/kiosk/KioskPage'), 'KioskPage') },
  // The shelter check-in kiosk: full screen, works offline (queued check-ins).
  { path: '/shelter/kiosk', lazy: page(() => import('./features/shelter/kiosk/ShelterKioskPage'), 'ShelterKioskPage') },
]);
