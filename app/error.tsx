"use client";

// Shown when a page cannot be rendered (the database is unreachable, say). Nothing is
// lost: an order in flight keeps its key in the tab (components/order-draft.ts).
// "Try again" asks the server to render the page afresh (retry), not just re-renders.
export default function ErrorPage({ retry }: { error: unknown; retry: () => void }) {
  return (
    <section className="card" role="alert">
      <h1>The shop is not available right now</h1>
      <p>Please try again in a moment. An order you were placing is kept: sent again, it will not be placed twice.</p>
      <button type="button" className="primary" onClick={() => retry()}>
        Try again
      </button>
    </section>
  );
}
