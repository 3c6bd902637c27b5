// The part of botium-core (untyped CommonJS) the Botium test drives.
declare module 'botium-core' {
  export interface Convo {
    header: { name: string };
    Run(container: Container): Promise<unknown>;
  }
  export interface Compiler {
    convos: Convo[];
    ReadScriptsFromDirectory(dir: string, globFilter?: string): unknown;
    ExpandConvos(): void;
  }
  export interface Container {
    Start(): Promise<Container>;
    Stop(): Promise<Container>;
    Clean(): Promise<Container>;
  }
  export class BotDriver {
    constructor(caps?: Record<string, unknown>, sources?: Record<string, unknown>, envs?: Record<string, unknown>);
    BuildCompiler(): Compiler;
    Build(): Promise<Container>;
  }
}
