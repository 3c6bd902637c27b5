import fs from 'node:fs';
import type { Fontkit } from 'pdf-lib/cjs/types/fontkit';
import type { PDFDocument, PDFFont, StandardFonts } from 'pdf-lib';

// pdf-lib and fontkit are loaded with the first attestation, not at every start (a third of a second).
type PdfLib = typeof import('pdf-lib');
const pdfLib = (): PdfLib => require('pdf-lib') as PdfLib;
const fontkit = (): Fontkit => {
  const loaded = require('@pdf-lib/fontkit') as Fontkit & { default?: Fontkit };
  return loaded.default ?? loaded;
};
import type { Translator } from '../../i18n';
import { longDateTime, longDay } from '../../dates';
import type { AccountView } from './registry';
import type { EngagementView } from './engagement';

export interface AttestationData {
  name: string;
  identifierKind: string;
  identifier: string;
  specialty: string;
  oa: string;
  engagedOn: string;
  generatedOn: string;
}

/** What the attestation of an accepted request says, in the physician's language. */
export function attestationData(t: Translator, account: AccountView, engagement: EngagementView, now: Date): AttestationData {
  return {
    name: `${t(`mail:civility.${account.civility}`)} ${account.firstName} ${account.lastName}`,
    identifierKind: account.identifierKind,
    identifier: account.identifier,
    specialty: t(`accreditation:specialty.${account.specialty}`),
    oa: engagement.oa.name ?? t('accreditation:hub.yourOa'),
    engagedOn: engagement.decidedAt ? longDay(t, engagement.decidedAt) : '',
    generatedOn: longDateTime(t, now),
  };
}

/** The file name the attestation is downloaded or attached as. */
export const attestationFilename = (account: { identifier: string }) => `attestation-engagement-${account.identifier}.pdf`;

// Physicians' names are written in every script: Łukasiewicz, Ştefan, Nguyễn, 王. The PDF's
// standard fonts know only WinAnsi (French, and most names written in France): what they can write
// is drawn in Helvetica, which costs nothing to embed. Anything else is drawn in Noto Sans (Latin,
// Greek, Cyrillic, Vietnamese) or, for Chinese and Japanese characters, Noto Sans SC — fonts shipped
// in npm packages, never read from the system, embedded whole (see `font` below). Each run of text is
// drawn in the first font that has it.
type Source = { standard: StandardFonts } | { file: string };
const FONTS: Record<'regular' | 'bold', Source[]> = {
  regular: [{ standard: 'Helvetica' as StandardFonts }, { file: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf' }, { file: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf' }],
  bold: [{ standard: 'Helvetica-Bold' as StandardFonts }, { file: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf' }, { file: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf' }],
};

/** What WinAnsi encodes (the standard fonts' only encoding): Latin-1 and its 0x80–0x9F extras (œ, Š, €, ’…). */
const WIN_ANSI = new Set<number>([
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => 0x20 + i),
  ...Array.from({ length: 0x100 - 0xa0 }, (_, i) => 0xa0 + i),
  ...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'.split('').map((c) => c.codePointAt(0)!),
]);
const covers = (source: Source, codePoint: number) => ('standard' in source ? WIN_ANSI.has(codePoint) : face(source.file).covers(codePoint));

interface Face {
  bytes: Buffer;
  covers(codePoint: number): boolean;
}

const faces = new Map<string, Face>();

/** A font file, read and indexed once per process (the CJK one only when a text needs it). */
function face(file: string): Face {
  let known = faces.get(file);
  if (!known) {
    const bytes = fs.readFileSync(require.resolve(file));
    const font = fontkit().create(bytes);
    known = { bytes, covers: (codePoint) => font.hasGlyphForCodePoint(codePoint) };
    faces.set(file, known);
  }
  return known;
}

/** The fonts of one weight, embedded in a document on first use. */
class FontChain {
  private readonly embedded = new Map<number, PDFFont>();

  constructor(
    private readonly pdf: PDFDocument,
    private readonly sources: readonly Source[],
  ) {}

  /** The text cut into runs, each with the first font of the chain that has all its characters. */
  async runs(text: string): Promise<{ text: string; font: PDFFont }[]> {
    const runs: { text: string; index: number }[] = [];
    for (const char of text) {
      const codePoint = char.codePointAt(0)!;
      // A character no font has (a rare script) is drawn as Noto's empty box, never an error.
      const found = this.sources.findIndex((source) => covers(source, codePoint));
      const index = found < 0 ? 1 : found;
      const last = runs.at(-1);
      if (last && (last.index === index || /\s/.test(char))) last.text += char;
      else runs.push({ text: char, index });
    }
    return Promise.all(runs.map(async (run) => ({ text: run.text, font: await this.font(run.index) })));
  }

  async width(text: string, size: number): Promise<number> {
    return (await this.runs(text)).reduce((sum, run) => sum + run.font.widthOfTextAtSize(run.text, size), 0);
  }

  private async font(index: number): Promise<PDFFont> {
    let font = this.embedded.get(index);
    if (!font) {
      // Whole fonts: pdf-lib's subsetting of Noto garbles every glyph in Chromium's PDF viewer (scattered
      // letters, Chinese characters gone). Only a name beyond WinAnsi pays for it: about 0.6 MB and a
      // second of work with Noto Sans, 7 MB and a few seconds with Chinese or Japanese characters.
      const source = this.sources[index];
      font = 'standard' in source ? await this.pdf.embedFont(source.standard) : await this.pdf.embedFont(face(source.file).bytes, { subset: false });
      this.embedded.set(index, font);
    }
    return font;
  }
}

/**
 * The attestation d'engagement, as a PDF made by Sésame. The official one goes by post (to
 * inform the CME and the CPAM); this copy is offered at once and says so.
 */
export async function attestationPdf(t: Translator, data: AttestationData): Promise<Uint8Array> {
  const { PDFDocument, rgb } = pdfLib();
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit());
  pdf.setTitle(t('accreditation:attestation.pdfTitle'));
  pdf.setProducer('Sésame');
  const page = pdf.addPage([595.28, 841.89]);
  const regular = new FontChain(pdf, FONTS.regular);
  const bold = new FontChain(pdf, FONTS.bold);
  const blue = rgb(0, 0.26, 0.48);
  let y = 780;
  const line = async (text: string, options: { size?: number; font?: FontChain; color?: ReturnType<typeof rgb>; gap?: number } = {}) => {
    const size = options.size ?? 11;
    const chain = options.font ?? regular;
    for (const chunk of await wrap(text, chain, size, 480)) {
      let x = 56;
      for (const run of await chain.runs(chunk)) {
        page.drawText(run.text, { x, y, size, font: run.font, color: options.color ?? rgb(0.1, 0.1, 0.1) });
        x += run.font.widthOfTextAtSize(run.text, size);
      }
      y -= size + 5;
    }
    y -= options.gap ?? 6;
  };
  await line(t('accreditation:attestation.pdfTitle'), { size: 18, font: bold, color: blue, gap: 16 });
  await line(t('accreditation:attestation.pdfBody', { ...data }), { gap: 14 });
  for (const [label, value] of [
    ['pdfName', data.name],
    ['pdfIdentifier', `${data.identifierKind} ${data.identifier}`],
    ['pdfSpecialty', data.specialty],
    ['pdfOa', data.oa],
    ['pdfEngagedOn', data.engagedOn],
  ] as const) {
    await line(`${t(`accreditation:attestation.${label}`)} : ${value}`, { font: bold });
  }
  y -= 10;
  await line(t('accreditation:attestation.pdfMeaning'));
  await line(t('accreditation:attestation.pdfPost'));
  y -= 20;
  await line(t('accreditation:attestation.pdfGenerated', { date: data.generatedOn }), { size: 9, color: rgb(0.4, 0.4, 0.4) });
  return pdf.save();
}

async function wrap(text: string, chain: FontChain, size: number, width: number): Promise<string[]> {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    const next = current ? `${current} ${word}` : word;
    if ((await chain.width(next, size)) > width && current) {
      lines.push(current);
      current = word;
    } else current = next;
  }
  if (current) lines.push(current);
  return lines;
}
