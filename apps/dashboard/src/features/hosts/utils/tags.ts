/** "web, pci  edge" -> ["edge", "pci", "web"]: commas or spaces separate, duplicates go. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ].sort();
}

/** What the API would refuse (at most 50 tags of 1-64 characters), said before sending. */
export function tagsProblem(tags: string[]): string | null {
  if (tags.length > 50) return `At most 50 tags (${tags.length} given).`;
  const long = tags.find((t) => t.length > 64);
  return long ? `The tag “${long.slice(0, 20)}…” is longer than 64 characters.` : null;
}
