/** Of a multiget's hrefs, those naming a member of `collectionHref`: href → member name. */
export function hrefNames(collectionHref: string, hrefs: string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const href of hrefs) {
    const path = safeDecode(href.replace(/^https?:\/\/[^/]+/, ''));
    if (path?.startsWith(collectionHref)) {
      const name = path.slice(collectionHref.length);
      if (name !== '' && !name.includes('/')) names.set(href, name);
    }
  }
  return names;
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
