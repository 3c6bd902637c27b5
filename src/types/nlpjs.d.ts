// NLP.js ships no type declarations; Sésame uses only what src/services/nlu.ts types itself.
declare module '@nlpjs/core' {
  export function containerBootstrap(): Promise<{ use(plugin: unknown): void; get(name: string): unknown; registerConfiguration(tag: string, configuration: Record<string, unknown>, overwrite?: boolean): void }>;
}
declare module '@nlpjs/nlp' {
  export const Nlp: unknown;
}
declare module '@nlpjs/lang-fr' {
  export const LangFr: unknown;
}
declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}
