/**
 * What a new password must be: at least 10 characters (passphrases welcome, up to 128), not the
 * email address or its local part, and not one of the passwords attackers try first.
 */

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

// The most common leaked passwords of 10+ characters and keyboard/brand patterns typical in Japan.
const COMMON_PASSWORDS = new Set([
  '1234567890',
  '0123456789',
  '0987654321',
  '1111111111',
  '0000000000',
  '1234512345',
  '1q2w3e4r5t',
  'qwertyuiop',
  'asdfghjkl;',
  'password12',
  'password123',
  'password1234',
  'passw0rd12',
  'p@ssw0rd12',
  'iloveyou12',
  'qwerty1234',
  'qwerty12345',
  'abcdefghij',
  'abcd123456',
  'abc1234567',
  'a123456789',
  '123456789a',
  '12345678910',
  '123456789abc',
  'welcome123',
  'letmein123',
  'changeme12',
  'administrator',
  'admin12345',
  'adminadmin',
  'sakura1234',
  'oroshi1234',
  'oroshioroshi',
  'salon12345',
  'beauty1234',
  'football12',
  'baseball12',
  'princess12',
  'sunshine12',
  'trustno1234',
  'zaq12wsxcde',
  '1qaz2wsx3edc',
  'qazwsxedcrfv',
]);

/** A Japanese message for the first rule the password breaks, or null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `パスワードは${PASSWORD_MIN_LENGTH}文字以上で入力してください。`;
  if (password.length > PASSWORD_MAX_LENGTH) return `パスワードは${PASSWORD_MAX_LENGTH}文字以内で入力してください。`;
  const lower = password.toLowerCase();
  const mail = email.trim().toLowerCase();
  const local = mail.split('@')[0] ?? '';
  if (mail && (lower === mail || (local.length >= 4 && lower.includes(local)))) return 'メールアドレスを含むパスワードは使えません。';
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password)) return 'よく使われるパスワードのため使えません。推測されにくいものにしてください。';
  return null;
}
