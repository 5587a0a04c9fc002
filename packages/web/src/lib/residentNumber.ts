// The municipal resident ID (住民ID) check runs in the browser too, so a typo is caught before
// anything is sent: the same code as the server's (packages/shared/src/residentNumber.ts).
export { checkResidentNumber, dammValid, normalizeResidentNumber, type ResidentNumberCheck } from '@kazashi/shared';
