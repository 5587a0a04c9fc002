// The resident domain's public face.
export { ResidentService, type PersonalDataAccess, type ResidentView } from './service.js';
export { residentRoutes } from './routes.js';
export { dammCheckDigit, dammValid, globalResidentId, newResidentNumber, parseGlobalResidentId, parseResidentNumber, type ResidentNumber } from './number.js';
export { ResidentErrors } from './errors.js';
