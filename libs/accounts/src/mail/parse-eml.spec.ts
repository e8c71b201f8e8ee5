import { parseEml } from './parse-eml.js';

function eml(lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

// What FileMailer writes is covered in file-mailer.spec.ts; these are the other shapes a message may take.
describe('parseEml', () => {
  it('decodes a base64 body and Base64 encoded words, with CRLF line ends', () => {
    const mail = parseEml(
      eml([
        'To: =?UTF-8?B?Wm/Dqw==?= <zoe@example.com>',
        'Subject: =?ISO-8859-1?Q?Gr=FC=DFe?=',
        'Content-Type: text/plain; charset="utf-8"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('Grüße\r\nhttps://boardroom.example/reset-password?token=a-b_c\r\n').toString('base64'),
      ]),
    );
    expect(mail).toEqual({
      to: 'Zoë <zoe@example.com>',
      subject: 'Grüße',
      text: 'Grüße\nhttps://boardroom.example/reset-password?token=a-b_c\n',
    });
  });

  it('reads a message without Content-Type as plain 7-bit text, and folded headers as one line', () => {
    const mail = parseEml(eml(['To: ada@example.com', 'Subject: a subject', ' on two lines', '', 'Hello', '']));
    expect(mail).toEqual({ to: 'ada@example.com', subject: 'a subject on two lines', text: 'Hello\n' });
  });

  it('finds the text part inside nested multiparts, after an HTML-only part', () => {
    const mail = parseEml(
      eml([
        'To: ada@example.com',
        'Subject: nested',
        'Content-Type: multipart/mixed; boundary=outer',
        '',
        'preamble',
        '--outer',
        'Content-Type: text/html',
        '',
        '<p>html</p>',
        '--outer',
        'Content-Type: multipart/alternative; boundary="inner"',
        '',
        '--inner',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'a long line =',
        'joined, an equals sign =3D and caf=C3=A9',
        '--inner--',
        '--outer--',
      ]),
    );
    expect(mail.text).toBe('a long line joined, an equals sign = and café');
  });
});
