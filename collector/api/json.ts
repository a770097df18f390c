/** JSON columns are TEXT on every database; a damaged value reads as null instead of failing a page. */
export function parseJson<T = unknown>(text: string | null | undefined): T | null {
  if (text === null || text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
