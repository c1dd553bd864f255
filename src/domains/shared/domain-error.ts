/**
 * Typed domain errors with stable codes. Domains throw these (or return expected outcomes as
 * values); the web layer maps them to HTTP in one place (platform/http/error-handler.ts).
 * Messages are written for the person using the screen, in Japanese.
 */
export type DomainErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'forbidden'
  | 'unauthenticated'
  | 'conflict'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'csrf_failed';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fieldErrors: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class ValidationError extends DomainError {
  constructor(fieldErrors: Record<string, string>, message = '入力内容を確認してください。') {
    super('validation_failed', message, fieldErrors);
  }
}

export class NotFoundError extends DomainError {
  constructor(message = 'お探しのページは見つかりませんでした。') {
    super('not_found', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'この操作を行う権限がありません。') {
    super('forbidden', message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class RateLimitedError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'アクセスが集中しています。しばらくしてからもう一度お試しください。',
  ) {
    super('rate_limited', message);
  }
}
