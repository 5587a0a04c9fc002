// SKELETON: replaced by the owner of this file (see /tmp/kz/CONTRACT.md).
export function ShelterKioskPage() {
  return <main id="main">ShelterKioskPage</main>;
}
