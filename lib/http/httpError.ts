/** Thrown by a handler (or by apiRoute) to answer with this status and message, e.g. 413, 415, 404, 409. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
