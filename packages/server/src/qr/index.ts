// The personal QR code domain's public face.
export { QrService, type QrCaller, type QrCardView, type QrOptions, type QrTokenView, type QrValidation } from './service.js';
export { qrRoutes } from './routes.js';
export { QrErrors } from './errors.js';
export type { QrKind } from './token.js';
