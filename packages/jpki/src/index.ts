// Public API of @kazashi/jpki.
export { x509 } from './x509.js';
