import { HttpError } from './httpError';

/** A JSON body of at most `limit` bytes: 415 when it is not application/json, 413 when too large, 400 when not JSON. */
export async function readJson(request: Request, limit: number): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'send the body as application/json');
  const text = (
    await readBodyCapped(request, limit, () => new HttpError(413, `the body is larger than ${limit} bytes`))
  ).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}

/**
 * The whole request body, refused with `tooLarge()` as soon as the declared or the streamed size passes `limit` — a
 * body is never buffered past the limit.
 */
export async function readBodyCapped(request: Request, limit: number, tooLarge: () => Error): Promise<Buffer> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) throw tooLarge();
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** Query parameters as an object: a repeated key becomes an array (what the route's zod schema parses). */
export function searchParamsObject(params: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    result[key] = values.length === 1 ? values[0] : values;
  }
  return result;
}
