import { useSearchParams } from "react-router";

/**
 * A list screen's page and filters, kept in the URL so a filtered view survives a reload and can
 * be shared. `update` changes some parameters (empty removes one); any change but the page itself
 * goes back to the first page, and with `replaceFilterChanges` replaces the history entry.
 *
 * Changes start from the address bar, not from `params`: react-router hands a functional update
 * the parameters of the render that made the handler, so a second change made before the first
 * one's render (a quick click, then a select) would silently undo the first.
 */
export function useUrlList(options: { replaceFilterChanges?: boolean } = {}) {
  const [params, setParams] = useSearchParams();
  const pageParam = Number(params.get("page"));
  const page = Number.isInteger(pageParam) && pageParam >= 1 ? pageParam : 1;
  const update = (changes: Record<string, string | number | undefined>) => {
    setParams(
      () => {
        const next = new URLSearchParams(window.location.search);
        for (const [key, value] of Object.entries(changes)) {
          if (value === undefined || value === "") next.delete(key);
          else next.set(key, String(value));
        }
        if (!("page" in changes)) next.delete("page");
        return next;
      },
      { replace: !!options.replaceFilterChanges && !("page" in changes) },
    );
  };
  return { params, page, update };
}
