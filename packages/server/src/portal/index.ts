// The portal domain's public face: resident sessions (card login on the resident's own device or a
// kiosk) and the resident's own My page.
export { ACR, residentOf, type Acr, type ResidentPrincipal } from '../kernel/residentCaller.js';
export { ResidentSessionService, type ResidentSessionPolicy, type SessionChannel, type StartedSession } from './sessionService.js';
export { residentGuard, RESIDENT_COOKIE, TOUCH_COOKIE } from './guard.js';
export { PortalService, RESIDENT_SELF, type AccessLogEntry, type MyPage, type ResidentSessionView } from './service.js';
export { portalRoutes } from './routes.js';
export { PortalErrors } from './errors.js';
