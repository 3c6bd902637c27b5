import type { IncomingMessage } from 'node:http';
import { DirectLineError } from './channel';

/** One file of an upload, as the client sent it (its declared type is only a claim). */
export interface UploadedFile {
  name: string;
  declaredType: string;
  bytes: Uint8Array;
}

/** The most files one upload carries (Web Chat sends the files chosen at once, plus the activity). */
export const MAX_UPLOAD_FILES = 5;

/**
 * Reads a Direct Line upload (multipart/form-data: file parts, and an optional `activity` part of
 * type application/vnd.microsoft.activity) with a hard size limit counted while reading: a larger
 * body is refused (413) before it is held in memory. Parsed by the platform's own multipart reader.
 */
export async function readUpload(req: IncomingMessage, maxBytes: number): Promise<{ files: UploadedFile[]; activity: unknown }> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data;/i.test(type)) throw new DirectLineError(415, 'BadArgument', 'An upload is multipart/form-data.');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new DirectLineError(413, 'BadArgument', `An upload is at most ${Math.floor(maxBytes / 1024 / 1024)} MB.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.destroy();
      throw new DirectLineError(413, 'BadArgument', `An upload is at most ${Math.floor(maxBytes / 1024 / 1024)} MB.`);
    }
    chunks.push(chunk);
  }
  let form: FormData;
  try {
    form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': type } }).formData();
  } catch {
    throw new DirectLineError(400, 'BadArgument', 'The upload is not well-formed multipart/form-data.');
  }
  const files: UploadedFile[] = [];
  let activity: unknown;
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, field) => entries.push([field, value]));
  for (const [field, value] of entries) {
    if (typeof value === 'string') continue;
    if (field === 'activity' || value.type === 'application/vnd.microsoft.activity') {
      try {
        activity = JSON.parse(await value.text()) as unknown;
      } catch {
        throw new DirectLineError(400, 'BadArgument', 'The activity part of the upload is not JSON.');
      }
      continue;
    }
    files.push({ name: value.name || 'document', declaredType: value.type, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  if (files.length === 0) throw new DirectLineError(400, 'BadArgument', 'The upload holds no file.');
  if (files.length > MAX_UPLOAD_FILES) throw new DirectLineError(400, 'BadArgument', `An upload holds at most ${MAX_UPLOAD_FILES} files.`);
  return { files, activity };
}
