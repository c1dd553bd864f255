import { describe, expect, it } from 'vitest';
import { allowlistAdmits, checkCidr, parseAllowlistText } from './ip-allowlist.service.ts';

describe('checkCidr', () => {
  it.each([
    ['203.0.113.0/24', '203.0.113.0/24'],
    ['198.51.100.7', '198.51.100.7/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['::1', '::1/128'],
    ['::ffff:192.0.2.0/120', '::ffff:192.0.2.0/120'],
  ])('accepts %s', (input, cidr) => {
    expect(checkCidr(input)).toMatchObject({ cidr });
  });

  it.each(['192.168.1.5/24', '10.0.0.0/33', '300.1.1.1', 'example.com', '2001:db8::1/32', '1.2.3.4/ 8', ''])('refuses %s with a reason', (input) => {
    expect(checkCidr(input)).toHaveProperty('error');
  });
});

describe('parseAllowlistText', () => {
  it('reads CIDR and label per line, skipping blanks and comments', () => {
    expect(parseAllowlistText('# 本社\n203.0.113.0/24 本社 3F\n\n198.51.100.7\n')).toEqual([
      { cidr: '203.0.113.0/24', label: '本社 3F' },
      { cidr: '198.51.100.7/32', label: '' },
    ]);
  });

  it('names every bad line and duplicates', () => {
    try {
      parseAllowlistText('203.0.113.0/24\nbad\n203.0.113.0/24');
      expect.unreachable();
    } catch (err) {
      const message = (err as { fieldErrors: Record<string, string> }).fieldErrors.entries!;
      expect(message).toContain('2行目');
      expect(message).toContain('3行目: 203.0.113.0/24 が重複しています');
    }
  });
});

describe('allowlistAdmits', () => {
  const list = [
    { cidr: '203.0.113.0/24', label: '' },
    { cidr: '2001:db8::/32', label: '' },
  ];
  it('is open when empty and otherwise admits only listed networks', () => {
    expect(allowlistAdmits([], '192.0.2.1')).toBe(true);
    expect(allowlistAdmits(list, '203.0.113.200')).toBe(true);
    expect(allowlistAdmits(list, '203.0.114.1')).toBe(false);
    expect(allowlistAdmits(list, '2001:db8:1::5')).toBe(true);
    expect(allowlistAdmits(list, '2001:db9::5')).toBe(false);
    expect(allowlistAdmits(list, 'not-an-ip')).toBe(false);
  });
});
