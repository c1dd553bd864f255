import { describe, expect, it } from 'vitest';
import { brandOf, passesLuhn, profileCard, TEST_CARDS } from './test-cards.catalog.ts';

describe('test card catalog', () => {
  it('holds only Luhn-valid numbers', () => {
    for (const number of Object.keys(TEST_CARDS)) expect(passesLuhn(number), number).toBe(true);
  });

  it('rejects numbers that fail Luhn or are too short', () => {
    expect(profileCard('4242424242424241')).toBeUndefined();
    expect(profileCard('4242')).toBeUndefined();
    expect(profileCard('abcd')).toBeUndefined();
  });

  it('reads brands from the number prefix', () => {
    expect(brandOf('4242424242424242')).toBe('visa');
    expect(brandOf('5555555555554444')).toBe('mastercard');
    expect(brandOf('2223003122003222')).toBe('mastercard');
    expect(brandOf('378282246310005')).toBe('amex');
    expect(brandOf('3566002020360505')).toBe('jcb');
    expect(brandOf('6011111111111117')).toBe('discover');
    expect(brandOf('30569309025904')).toBe('diners');
    expect(brandOf('6200000000000005')).toBe('unionpay');
  });

  it('maps the documented behaviours', () => {
    expect(profileCard('4242 4242 4242 4242')).toMatchObject({ brand: 'visa', last4: '4242', threeDSecure: 'supported', decision: { approved: true } });
    expect(profileCard('4000000000009995')?.decision).toEqual({ approved: false, code: 'card_declined', declineCode: 'insufficient_funds' });
    expect(profileCard('4000000000003220')).toMatchObject({ threeDSecure: 'required', decision: { approved: true } });
    expect(profileCard('4000008400001629')).toMatchObject({ threeDSecure: 'required', decision: { approved: false } });
    expect(profileCard('4000008400001280')?.threeDSecure).toBe('lookup_error');
  });

  it('lets any other Luhn-valid number succeed without 3DS unless asked', () => {
    const profile = profileCard('4111111111111111');
    expect(profile).toMatchObject({ brand: 'visa', last4: '1111', threeDSecure: 'supported', decision: { approved: true }, country: null });
  });

  it('never carries the full number in a profile', () => {
    const profile = profileCard('4000000000003220');
    expect(JSON.stringify(profile)).not.toContain('4000000000003220');
  });
});
