// The identity domain's public face: server-side verification of a My Number Card touch, and the binding of cards to residents.
export { IdentityService, staffCounter, staffOf, type CardBindingView, type ChallengeView, type Counter, type VerifiedCard, type VerifyInput, type VerifyOutcome } from './service.js';
export { identityRoutes } from './routes.js';
export { identityTrust, type IdentityTrust } from './trust.js';
export { cardKeyOf, TrustAnchors } from './certificate.js';
export { demoRevocationChecker, demoTestCaPath, loadDemoTestCa, saveDemoTestCa } from './demoCa.js';
export { CrlChecker, CrlFileChecker, FailClosedChecker, FirstAnswerChecker, RevocationUnavailableError, type RevocationChecker, type RevocationStatus } from './revocation.js';
export { OcspChecker } from './ocsp.js';
export { IdentityErrors } from './errors.js';
