/**
 * Errors in Stripe's wire shape (`{ error: { type, code, message, param } }`) with Stripe's status
 * codes, so the official SDK turns them into its typed errors (StripeInvalidRequestError, …).
 */
export type ApiErrorType = 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';

export interface ApiErrorBody {
  error: {
    type: ApiErrorType;
    message: string;
    code?: string;
    param?: string;
    decline_code?: string;
    doc_url?: string;
  };
}

export class StripeApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly type: ApiErrorType,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }

  toBody(): ApiErrorBody {
    const error: ApiErrorBody['error'] = { type: this.type, message: this.message };
    if (this.code) {
      error.code = this.code;
      error.doc_url = `https://stripe.com/docs/error-codes/${this.code.replace(/_/g, '-')}`;
    }
    if (this.param) error.param = this.param;
    return { error };
  }
}

export function invalidRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, 'invalid_request_error', message, code, param);
}

export function missingParam(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
}

export function resourceMissing(objectName: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(404, 'invalid_request_error', `No such ${objectName}: '${id}'`, 'resource_missing', param);
}

export function unexpectedState(message: string): StripeApiError {
  return invalidRequest(message, undefined, 'payment_intent_unexpected_state');
}
