// SKELETON: replaced by the owner of this file (see /tmp/kz/CONTRACT.md).
export function HqPage() {
  return <main id="main">HqPage</main>;
}
