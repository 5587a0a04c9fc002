// SKELETON: replaced by the owner of this file (see /tmp/kz/CONTRACT.md).
export function ShelterRegistryPage() {
  return <main id="main">ShelterRegistryPage</main>;
}
