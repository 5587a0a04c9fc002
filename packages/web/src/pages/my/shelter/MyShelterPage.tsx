// SKELETON: replaced by the owner of this file (see /tmp/kz/CONTRACT.md).
export function MyShelterPage() {
  return <main id="main">MyShelterPage</main>;
}
