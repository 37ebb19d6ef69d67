import { useMemo, useState, type ReactNode } from 'react';
import { render } from '@testing-library/react';
import { AppRouterContext, type AppRouterInstance } from 'next/dist/shared/lib/app-router-context.shared-runtime';
import { PathnameContext, SearchParamsContext } from 'next/dist/shared/lib/hooks-client-context.shared-runtime';

// Renders a client component as the App Router would at a URL, for component tests: Next's own hooks
// (useRouter, usePathname, useSearchParams from next/navigation) read the contexts provided here, and
// router.push/replace move an in-memory URL and re-render, as a navigation would. `navigations` records them.
export interface Navigation {
  method: 'push' | 'replace';
  url: string;
}

export function renderAtUrl(ui: ReactNode, initialUrl: string) {
  const navigations: Navigation[] = [];
  let currentUrl = initialUrl;
  function Router({ children }: { children: ReactNode }) {
    const [url, setUrl] = useState(initialUrl);
    const router = useMemo(() => {
      const go = (method: Navigation['method']) => (href: string) => {
        navigations.push({ method, url: href });
        currentUrl = href;
        setUrl(href);
      };
      return {
        push: go('push'),
        replace: go('replace'),
        back: () => {},
        forward: () => {},
        refresh: () => {},
        prefetch: () => {},
      } as unknown as AppRouterInstance;
    }, []);
    const parsed = new URL(url, 'http://torwatch.test');
    const searchParams = useMemo(() => new URLSearchParams(parsed.search), [parsed.search]);
    return (
      <AppRouterContext.Provider value={router}>
        <PathnameContext.Provider value={parsed.pathname}>
          <SearchParamsContext.Provider value={searchParams}>{children}</SearchParamsContext.Provider>
        </PathnameContext.Provider>
      </AppRouterContext.Provider>
    );
  }
  const rendered = render(<Router>{ui}</Router>);
  return {
    ...rendered,
    navigations,
    /** The URL's search params now. */
    params: () => new URL(currentUrl, 'http://torwatch.test').searchParams,
  };
}
