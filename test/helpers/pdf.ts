import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';

/**
 * The characters a PDF's embedded fonts can show, read from their ToUnicode maps: a name whose
 * every character is there is drawn with real glyphs, not empty boxes.
 */
export async function pdfCharacters(bytes: Uint8Array): Promise<Set<string>> {
  const pdf = await PDFDocument.load(bytes);
  const chars = new Set<string>();
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('Font')) continue;
    const ref = object.get(PDFName.of('ToUnicode'));
    const stream = ref instanceof PDFRef ? pdf.context.lookup(ref) : undefined;
    if (!(stream instanceof PDFRawStream)) continue;
    const cmap = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
    for (const [, hex] of cmap.matchAll(/<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4,})>/g)) {
      const units = hex.match(/.{4}/g)!.map((h) => Number.parseInt(h, 16));
      chars.add(String.fromCharCode(...units));
    }
  }
  return chars;
}

/**
 * What a PDF's pages write in the standard fonts (WinAnsi hex strings in the content streams),
 * decoded: names French spelling covers are drawn in Helvetica, which has no ToUnicode map.
 */
export async function pdfStandardText(bytes: Uint8Array): Promise<string> {
  const pdf = await PDFDocument.load(bytes);
  const parts: string[] = [];
  for (const page of pdf.getPages()) {
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => pdf.context.lookup(ref)) : [contents];
    for (const stream of streams) {
      if (!(stream instanceof PDFRawStream)) continue;
      const text = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
      for (const [, hex] of text.matchAll(/<([0-9A-Fa-f]+)>\s*Tj/g)) parts.push(Buffer.from(hex, 'hex').toString('latin1'));
    }
  }
  return parts.join(' ');
}
