import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { Translator } from '../../i18n';

export interface AttestationData {
  name: string;
  identifierKind: string;
  identifier: string;
  specialty: string;
  oa: string;
  engagedOn: string;
  generatedOn: string;
}

/**
 * The attestation d'engagement, as a PDF made by Sésame. The official one goes by post (to
 * inform the CME and the CPAM); this copy is offered at once and says so.
 */
export async function attestationPdf(t: Translator, data: AttestationData): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(t('accreditation:attestation.pdfTitle'));
  pdf.setProducer('Sésame');
  const page = pdf.addPage([595.28, 841.89]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const blue = rgb(0, 0.26, 0.48);
  let y = 780;
  const line = (text: string, options: { size?: number; font?: typeof regular; color?: ReturnType<typeof rgb>; gap?: number } = {}) => {
    const size = options.size ?? 11;
    const font = options.font ?? regular;
    for (const chunk of wrap(text, font, size, 480)) {
      page.drawText(chunk, { x: 56, y, size, font, color: options.color ?? rgb(0.1, 0.1, 0.1) });
      y -= size + 5;
    }
    y -= options.gap ?? 6;
  };
  line(t('accreditation:attestation.pdfTitle'), { size: 18, font: bold, color: blue, gap: 16 });
  line(t('accreditation:attestation.pdfBody', { ...data }), { gap: 14 });
  for (const [label, value] of [
    ['pdfName', data.name],
    ['pdfIdentifier', `${data.identifierKind} ${data.identifier}`],
    ['pdfSpecialty', data.specialty],
    ['pdfOa', data.oa],
    ['pdfEngagedOn', data.engagedOn],
  ] as const) {
    line(`${t(`accreditation:attestation.${label}`)} : ${value}`, { font: bold });
  }
  y -= 10;
  line(t('accreditation:attestation.pdfMeaning'));
  line(t('accreditation:attestation.pdfPost'));
  y -= 20;
  line(t('accreditation:attestation.pdfGenerated', { date: data.generatedOn }), { size: 9, color: rgb(0.4, 0.4, 0.4) });
  return pdf.save();
}

function wrap(text: string, font: { widthOfTextAtSize(t: string, s: number): number }, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    const next = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && current) {
      lines.push(current);
      current = word;
    } else current = next;
  }
  if (current) lines.push(current);
  return lines;
}
