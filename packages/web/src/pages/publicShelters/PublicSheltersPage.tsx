// SKELETON: replaced by the owner of this file (see /tmp/kz/CONTRACT.md).
export function PublicSheltersPage() {
  return <main id="main">PublicSheltersPage</main>;
}
