/** A page of rows and the total they are a page of, read at once. */
export async function paged<T>(rows: Promise<T[]>, total: Promise<number>): Promise<{ rows: T[]; total: number }> {
  const [r, t] = await Promise.all([rows, total]);
  return { rows: r, total: t };
}
