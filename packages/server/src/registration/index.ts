// The registration domain's public face: first registration, card login and consent records.
export { ACR_CARD_PIN, RegistrationService, type BasicFour, type CardLoginResult, type ConsentExport, type ConsentInput, type ConsentView, type RegistrationInput, type RegistrationResult, type SelfCaller } from './service.js';
export { registrationRoutes } from './routes.js';
export { RegistrationErrors } from './errors.js';
