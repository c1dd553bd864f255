import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../domains/shared/domain-error.ts';
import { mapError } from './error-handler.ts';

/** What a client is told for each kind of failure: its own mistakes are never a 500. */
describe('mapError', () => {
  it('keeps a domain error’s status and message', () => {
    expect(mapError(new NotFoundError('商品が見つかりません。'))).toMatchObject({ status: 404, message: '商品が見つかりません。' });
    expect(mapError(new ValidationError({ email: 'メールアドレスの形式が正しくありません。' })).status).toBe(400);
  });

  it('turns a malformed id that reached PostgreSQL into 404 and a NUL byte into 400', () => {
    expect(mapError(Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' })).status).toBe(404);
    expect(mapError(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }))).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('answers anything else with a generic 500 that reveals nothing', () => {
    const mapped = mapError(Object.assign(new Error('relation "orders" does not exist'), { code: '42P01' }));
    expect(mapped.status).toBe(500);
    expect(mapped.message).not.toContain('orders');
  });
});
