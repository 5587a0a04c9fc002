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
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
