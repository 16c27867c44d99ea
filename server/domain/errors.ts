/** A refusal a person can act on: the HTTP layer shows `message` and answers with `status`. */
export class DomainError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 410 | 429,
    message: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}
