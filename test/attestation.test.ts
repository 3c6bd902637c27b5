import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { createI18n } from '../src/i18n';
import { attestationPdf } from '../src/services/accreditation/attestation';
import { pdfCharacters } from './helpers/pdf';

describe('the attestation PDF', () => {
  it('embeds its fonts whole: subsetting garbled every glyph in Chromium’s viewer (scattered letters, seen on a phone)', async () => {
    const t = (await createI18n('fr')).getFixedT('fr');
    const bytes = await attestationPdf(t, { name: 'Docteure Ştefania Łukasiewicz', identifierKind: 'RPPS', identifier: '10101010105', specialty: 'Anesthésie-réanimation', oa: 'CFAR', engagedOn: '02/12/2026', generatedOn: '02/12/2026' });
    const pdf = await PDFDocument.load(bytes);
    const programs: number[] = [];
    for (const [, object] of pdf.context.enumerateIndirectObjects()) {
      if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('FontDescriptor')) continue;
      const program = pdf.context.lookup(object.get(PDFName.of('FontFile2')));
      if (program instanceof PDFRawStream) programs.push(decodePDFRawStream(program).decode().length);
    }
    const originals = ['400Regular/NotoSans_400Regular.ttf', '700Bold/NotoSans_700Bold.ttf'].map((f) => fs.statSync(require.resolve(`@expo-google-fonts/noto-sans/${f}`)).size);
    expect(programs.length).toBeGreaterThan(0);
    for (const length of programs) expect(originals).toContain(length);
    // And the name is drawn with real glyphs.
    const chars = await pdfCharacters(bytes);
    for (const c of 'ŞŁęż') if ('Ştefania Łukasiewicz'.includes(c)) expect(chars.has(c), c).toBe(true);
  });

  it('writes a name French spelling covers in the standard fonts: nothing to embed, a small file made at once', async () => {
    const t = (await createI18n('fr')).getFixedT('fr');
    const bytes = await attestationPdf(t, { name: 'Docteur François Lœvenbruck-Hébert', identifierKind: 'RPPS', identifier: '10101010105', specialty: 'Anesthésie-réanimation', oa: 'CFAR', engagedOn: '02/12/2026', generatedOn: '02/12/2026' });
    expect(bytes.length).toBeLessThan(20_000);
    const pdf = await PDFDocument.load(bytes);
    const fonts: string[] = [];
    for (const [, object] of pdf.context.enumerateIndirectObjects()) {
      if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('Font')) fonts.push(String(object.get(PDFName.of('BaseFont'))));
      expect(object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('FontDescriptor')).toBe(false);
    }
    expect(fonts.sort()).toEqual(['/Helvetica', '/Helvetica-Bold']);
  });
});
