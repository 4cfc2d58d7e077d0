/**
 * Reads a request body up to `limit` bytes; resolves null once it is larger. Past the limit the rest is
 * read and dropped rather than kept, so an oversized upload costs at most `limit` bytes of memory and
 * the client still receives the answer (closing mid-upload would reset its connection instead).
 * adapter-node's BODY_SIZE_LIMIT bounds how much is drained.
 */
export async function readBodyWithLimit(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size <= limit) chunks.push(value);
    }
    if (size > limit) return null;
  } catch {
    // adapter-node aborts the stream past BODY_SIZE_LIMIT: that is "too large" too.
    return null;
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.byteLength;
  }
  return body;
}
