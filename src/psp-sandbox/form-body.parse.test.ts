import { describe, expect, it } from 'vitest';
import { FormSyntaxError, parseStripeForm } from './form-body.parse.ts';

describe('parseStripeForm', () => {
  it('builds nested objects and indexed arrays like the Stripe SDK encodes them', () => {
    const parsed = parseStripeForm(
      'mode=payment&line_items[0][price_data][currency]=jpy&line_items[0][price_data][unit_amount]=1200' +
        '&line_items[0][quantity]=2&line_items[1][price_data][product_data][name]=%E3%82%B7%E3%83%A3%E3%83%B3%E3%83%97%E3%83%BC' +
        '&metadata[order_id]=o_1&expand[0]=payment_intent&expand[1]=payment_intent.latest_charge',
    );
    expect(parsed).toEqual({
      mode: 'payment',
      line_items: [
        { price_data: { currency: 'jpy', unit_amount: '1200' }, quantity: '2' },
        { price_data: { product_data: { name: 'シャンプー' } } },
      ],
      metadata: { order_id: 'o_1' },
      expand: ['payment_intent', 'payment_intent.latest_charge'],
    });
  });

  it('appends for empty brackets and decodes plus as space', () => {
    expect(parseStripeForm('expand[]=a&expand[]=b&name=Taro+Yamada')).toEqual({
      expand: ['a', 'b'],
      name: 'Taro Yamada',
    });
  });

  it('keeps unencoded and percent-encoded brackets equivalent', () => {
    expect(parseStripeForm('metadata%5Bshop%5D=x')).toEqual({ metadata: { shop: 'x' } });
  });

  it('refuses prototype keys and malformed names', () => {
    const parsed = parseStripeForm('__proto__[polluted]=1&a[constructor][x]=1');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.hasOwn(parsed, '__proto__')).toBe(false);
    expect(parsed).toEqual({ a: {} });
    expect(() => parseStripeForm('a[b=1')).toThrow(FormSyntaxError);
    expect(() => parseStripeForm('a=%E0%A4%A')).toThrow(FormSyntaxError);
  });
});
