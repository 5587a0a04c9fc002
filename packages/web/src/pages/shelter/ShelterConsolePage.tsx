// SKELETON: replaced by the owner of this file (see /tmp/kz/CONTRACT.md).
export function ShelterConsolePage() {
  return <main id="main">ShelterConsolePage</main>;
}
