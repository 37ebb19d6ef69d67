'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useTransition } from 'react';

/**
 * Changes URL search params (the single source of filter, sort and page state). Any change of filter or sort drops
 * the page cursor, so the user starts from the first page of the new result.
 */
export function useSearchParamUpdater() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();
  const update = useCallback(
    (change: (params: URLSearchParams) => void, options: { keepPage?: boolean; replace?: boolean } = {}) => {
      const params = new URLSearchParams(searchParams.toString());
      change(params);
      if (!options.keepPage) {
        params.delete('after');
        params.delete('before');
      }
      const query = params.toString();
      const url = query ? `${pathname}?${query}` : pathname;
      startTransition(() =>
        options.replace ? router.replace(url, { scroll: false }) : router.push(url, { scroll: false }),
      );
    },
    [router, pathname, searchParams],
  );
  return { update, pending, searchParams };
}
