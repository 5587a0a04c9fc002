import { createBrowserRouter } from 'react-router';
import { RootLayout } from './pages/RootLayout/RootLayout';
import { LandingPage } from './pages/Landing/LandingPage';
import { LoginPage } from './pages/Login/LoginPage';
import { NotFoundPage } from './pages/NotFound/NotFoundPage';
import { AdminLayout } from './pages/admin/AdminLayout/AdminLayout';
import { OverviewPage } from './pages/admin/Overview/OverviewPage';
import { MunicipalitiesPage } from './pages/admin/Municipalities/MunicipalitiesPage';
import { JointUsePage } from './pages/admin/JointUse/JointUsePage';
import { StaffPage } from './pages/admin/Staff/StaffPage';
import { VaultPage } from './pages/admin/Vault/VaultPage';
import { AuditPage } from './pages/admin/Audit/AuditPage';
import { TouchOnlyPage } from './pages/admin/TouchOnly/TouchOnlyPage';
import { CounterPage } from './pages/counter/CounterPage';
import { KioskPage } from './pages/kiosk/KioskPage';
import { MyLoginPage } from './pages/my/MyLoginPage';
import { MyPage } from './pages/my/MyPage';
import { OidcClientsPage } from './pages/admin/OidcClients/OidcClientsPage';
import { OidcInteractionPage } from './pages/oidc/OidcInteractionPage';
import { ShelterRegistryPage } from './pages/admin/Shelters/ShelterRegistryPage';
import { HqPage } from './pages/hq/HqPage';
import { ShelterConsolePage } from './pages/shelter/ShelterConsolePage';
import { ShelterKioskPage } from './pages/shelter/kiosk/ShelterKioskPage';
import { PublicSheltersPage } from './pages/publicShelters/PublicSheltersPage';
import { MyShelterPage } from './pages/my/shelter/MyShelterPage';

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
          { path: 'oidc-clients', element: <OidcClientsPage /> },
          { path: 'shelters', element: <ShelterRegistryPage /> },
        ],
      },
      // The counter (窓口) shares the admin layout: staff session, navigation, municipality scope.
      { path: '/counter', element: <AdminLayout />, children: [{ index: true, element: <CounterPage /> }] },
      // Disaster HQ dashboard and the shelter staff console (roster, needs, supplies).
      { path: '/hq', element: <AdminLayout />, children: [{ index: true, element: <HqPage /> }] },
      { path: '/shelter', element: <AdminLayout />, children: [{ index: true, element: <ShelterConsolePage /> }] },
      // Public shelter congestion (混雑状況): no login, no personal data.
      { path: '/shelters/:code', element: <PublicSheltersPage /> },
      // Resident screens: My page (the registration kiosk is outside this layout, below).
      { path: '/my/login', element: <MyLoginPage /> },
      { path: '/my', element: <MyPage /> },
      { path: '/my/shelter', element: <MyShelterPage /> },
      // OpenID Connect: the provider sends the resident here to log in to / consent for a joint-use service.
      { path: '/oidc/interaction/:uid', element: <OidcInteractionPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  // The self-service kiosk has its own frame without the site navigation (a staff session is open on it).
  { path: '/kiosk', element: <KioskPage /> },
  // The shelter check-in kiosk: full screen, works offline (queued check-ins).
  { path: '/shelter/kiosk', element: <ShelterKioskPage /> },
]);
